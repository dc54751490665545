using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// Checks, once at start-up, that libtorch's convolution input gradient is right, and turns oneDNN off for the process
/// when it is not. libtorch 2.10's oneDNN 3.7 (jit:avx512_core and jit:avx2 backward-data) was seen returning wrong input
/// gradients for a batch of more than one sample on an AMD EPYC host with AVX-512: zeros in place of most values, so
/// every layer before a stride-1 convolution learned from a wrong gradient, silently. libtorch's own convolutions are
/// right there. TorchSharp does not expose <c>torch.backends.mkldnn.enabled</c>, so the switch is libtorch's exported
/// <c>at::Context::setUserEnabledMkldnn</c>; NNPACK, which libtorch tries next and which
/// prints a warning on every convolution on CPUs it does not support, goes off with it.
/// </summary>
internal static unsafe class ConvolutionSelfCheck
{
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetUserEnabledMkldnn = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string SetUserEnabledNnpack = "_ZN2at7Context20setUserEnabledNNPACKEb";

    // Two samples of ones (4 x 4) through a 2 x 2 kernel of ones: each input pixel's gradient is the number of output
    // windows that cover it, the same in both samples.
    private static readonly float[] CoverCounts = [1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1];

    /// <summary>Whether oneDNN was turned off because it failed the check; set by <see cref="Run"/>.</summary>
    public static bool OneDnnDisabled { get; private set; }

    /// <summary>Null when convolution gradients are right (after turning oneDNN off if it had to); otherwise why not.</summary>
    public static string? Run()
    {
        if (InputGradientIsRight())
        {
            return null;
        }

        if (!TryDisableOneDnn(out string? reason))
        {
            return "libtorch computes wrong convolution input gradients on this machine (its oneDNN kernels), and turning oneDNN off "
                + $"failed: {reason}. Train on ConvGen's managed backend instead.";
        }

        OneDnnDisabled = true;
        return InputGradientIsRight()
            ? null
            : "libtorch computes wrong convolution input gradients on this machine, with oneDNN on or off. Train on ConvGen's managed backend instead.";
    }

    /// <summary>The input gradient of the all-ones case against the hand-counted windows.</summary>
    internal static bool InputGradientIsRight()
    {
        using var scope = NewDisposeScope();
        Tensor input = ones(2, 1, 4, 4).requires_grad_(true);
        nn.functional.conv2d(input, ones(1, 1, 2, 2)).sum().backward();

        float[] gradient = input.grad!.data<float>().ToArray();
        return gradient.AsSpan(0, CoverCounts.Length).SequenceEqual(CoverCounts) && gradient.AsSpan(CoverCounts.Length).SequenceEqual(CoverCounts);
    }

    private static bool TryDisableOneDnn(out string? reason)
    {
        try
        {
            nint library = NativeLibrary.Load("torch_cpu", typeof(global::TorchSharp.torch).Assembly, null);
            if (!NativeLibrary.TryGetExport(library, GlobalContext, out nint context)
                || !NativeLibrary.TryGetExport(library, SetUserEnabledMkldnn, out nint setMkldnn)
                || !NativeLibrary.TryGetExport(library, SetUserEnabledNnpack, out nint setNnpack))
            {
                reason = "torch_cpu does not export at::Context::setUserEnabledMkldnn and setUserEnabledNNPACK";
                return false;
            }

            nint globalContext = ((delegate* unmanaged<nint>)context)();
            ((delegate* unmanaged<nint, byte, void>)setMkldnn)(globalContext, 0);
            ((delegate* unmanaged<nint, byte, void>)setNnpack)(globalContext, 0);
            reason = null;
            return true;
        }
        catch (DllNotFoundException error)
        {
            reason = error.Message;
            return false;
        }
    }
}
