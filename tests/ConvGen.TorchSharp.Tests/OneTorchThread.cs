using System.Runtime.CompilerServices;

namespace ConvGen.TorchSharp.Tests;

/// <summary>
/// The test networks are tiny, and CI runs the test assemblies side by side on two cores, where libtorch's OpenMP
/// workers spin for each other and a run takes minutes instead of seconds. One thread within operators avoids that;
/// it changes no result the tests compare (all within tolerances, never bit for bit).
/// </summary>
internal static class OneTorchThread
{
#pragma warning disable CA2255 // A test assembly's start-up, before any test touches torch.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Set()
    {
        if (TorchRuntime.Ready().IsRight)
        {
            global::TorchSharp.torch.set_num_threads(1);
        }
    }
}
