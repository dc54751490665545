using System.Runtime.InteropServices;

namespace ConvGen.Benchmarks;

/// <summary>
/// OpenBLAS's single-precision GEMM, the BLAS PyTorch runs on here, loaded into this process when it is installed: a
/// yardstick for ConvGen's GEMM timed on the same operands, alternating with it, against the same measured peak.
/// Hand-written assembly for this CPU family, so the share of the peak it reaches is what a GEMM can get on this
/// machine at this moment.
/// </summary>
public sealed unsafe class OpenBlasGemm
{
    // The OpenMP build that benchmarks/run.sh installs for PyTorch (libopenblas0-openmp); OPENBLAS_LIBRARY overrides it.
    private const string DefaultLibrary = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0";
    private const int RowMajor = 101, NoTranspose = 111;

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> multiply;
    private readonly delegate* unmanaged<int, void> setThreads;
    private readonly delegate* unmanaged<nint> coreName;

    private OpenBlasGemm(nint multiply, nint setThreads, nint coreName)
    {
        this.multiply = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)multiply;
        this.setThreads = (delegate* unmanaged<int, void>)setThreads;
        this.coreName = (delegate* unmanaged<nint>)coreName;
    }

    /// <summary>Where the library was looked for.</summary>
    public static string LibraryPath => Environment.GetEnvironmentVariable("OPENBLAS_LIBRARY") ?? DefaultLibrary;

    /// <summary>The kernels OpenBLAS chose for this CPU (OPENBLAS_CORETYPE in the environment forces them).</summary>
    public string Core => Marshal.PtrToStringAnsi(coreName()) ?? "unknown";

    /// <summary>The library, loaded with the given number of threads, or null when no OpenBLAS is at <see cref="LibraryPath"/>.</summary>
    public static OpenBlasGemm? TryLoad(int threads)
    {
        if (!NativeLibrary.TryLoad(LibraryPath, out nint library)
            || !NativeLibrary.TryGetExport(library, "cblas_sgemm", out nint multiply)
            || !NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out nint setThreads)
            || !NativeLibrary.TryGetExport(library, "openblas_get_corename", out nint coreName))
        {
            return null;
        }

        var blas = new OpenBlasGemm(multiply, setThreads, coreName);
        blas.setThreads(threads);
        return blas;
    }

    /// <summary><c>C = A * B</c> for row-major <c>n x n</c> matrices.</summary>
    public void MultiplySquare(int n, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        // The native call trusts its sizes: a short span would be read or written past its end.
        long values = (long)n * n;
        if (n < 0 || a.Length < values || b.Length < values || c.Length < values)
        {
            throw new ArgumentException($"A {n}x{n} product needs {values} values in each matrix; got {a.Length}, {b.Length}, {c.Length}.");
        }

        fixed (float* aStart = a, bStart = b, cStart = c)
        {
            multiply(RowMajor, NoTranspose, NoTranspose, n, n, n, 1f, aStart, n, bStart, n, 0f, cStart, n);
        }
    }
}
