using System.Runtime.InteropServices;
using ConvGen.Kernels;
using LanguageExt;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// Starts libtorch once per process, before the first torch call: glibc's malloc thresholds raised, the native library
/// loaded by hand so that a failure is one clear message, the thread counts set, then convolution gradients checked
/// (<see cref="ConvolutionSelfCheck"/>).
/// </summary>
internal static partial class TorchRuntime
{
    // glibc's mallopt parameters (malloc.h).
    private const int TrimThreshold = -1, MmapThreshold = -3;

    private static readonly Lazy<string?> Problem = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Right once libtorch runs in this process; Left saying what is missing and how to fix it.</summary>
    public static Either<ConvGenError, Unit> Ready() =>
        Problem.Value is string problem ? Left<ConvGenError, Unit>(new ConvGenError(problem)) : Right<ConvGenError, Unit>(unit);

    private static string? Start()
    {
        if (OperatingSystem.IsLinux())
        {
            // Without these, glibc hands libtorch's large activation buffers back to the kernel after every pass and
            // some processes page-fault on each one (measured 1,287 against 1,605 images/s training).
            Mallopt(MmapThreshold, 32 << 20);
            Mallopt(TrimThreshold, 1 << 30);
        }

        // When its own load fails, TorchSharp copies ~500 MB of libraries somewhere else and fails again with a message
        // about that copy; loading the library first gives the loader's own words instead.
        try
        {
            NativeLibrary.Load("LibTorchSharp", typeof(global::TorchSharp.torch).Assembly, null);
        }
        catch (DllNotFoundException error)
        {
            return LoadFailure(error.Message);
        }
        catch (BadImageFormatException error)
        {
            return LoadFailure(error.Message);
        }

        // ConvGen's kernel threads (the cores, at least two) within an operator, one between operators: more is slower on small networks.
        set_num_threads(KernelThreads.Count);
        if (get_num_interop_threads() != 1)
        {
            try
            {
                set_num_interop_threads(1);
            }
            catch (ExternalException)
            {
                // libtorch fixes this once parallel work has begun (code in this process used torch before): keep its choice.
            }
        }

        return ConvolutionSelfCheck.Run();
    }

    /// <summary>
    /// One message for a failed load: the loader's reason (its lines about the file it found, not the paths it merely
    /// probed), what ConvGen.TorchSharp needs, and how to fix it.
    /// </summary>
    internal static string LoadFailure(string loaderMessage)
    {
        string[] reasons = [.. loaderMessage.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(".so", StringComparison.Ordinal) && !line.Contains("cannot open shared object file", StringComparison.Ordinal))];
        string reason = reasons.Length > 0 ? string.Join("; ", reasons) : loaderMessage.Trim();
        return "TorchSharp's native library (libLibTorchSharp, with libtorch beside it) could not be loaded: " + reason + ". "
            + "ConvGen.TorchSharp needs the libtorch package of TorchSharp (TorchSharp-cpu, or TorchSharp-cuda-linux / -windows for a GPU) "
            + "referenced by the program that runs it. On Linux it needs glibc 2.34 and a libstdc++ with GLIBCXX_3.4.30 (GCC 12) or later; "
            + "its build step writes a copy of libLibTorchSharp.so that does not insist on GLIBCXX_3.4.32 into the output, unless "
            + "ConvGenPatchLibTorchSharp is false. Rebuild the program, or install a newer libstdc++.";
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
