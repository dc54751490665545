using System.Diagnostics;
using System.Runtime.InteropServices;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks;

/// <summary>
/// What one core of this machine really multiplies: the GEMM micro-kernel on operands that sit in L1, timed on one
/// thread. Nothing a kernel does can beat it, so it is the yardstick the quick kernel timings measure against (rather
/// than a clock speed and FMA count that a virtual machine may not deliver).
/// </summary>
public static unsafe class MicroKernelPeak
{
    private const int Depth = 256;
    private const int CallsPerRun = 4000;

    /// <summary>Floating-point operations per second of one core, the best of several runs.</summary>
    public static double PerCore()
    {
        int tileColumns = Gemm.TileColumns;
        float* a = Allocate(GemmMicroKernel.Rows * Depth);
        float* b = Allocate(tileColumns * Depth);
        float* c = Allocate(GemmMicroKernel.Rows * tileColumns);
        int* rows = (int*)Allocate(GemmMicroKernel.Rows);
        int* steps = (int*)Allocate(Depth);
        try
        {
            for (int r = 0; r < GemmMicroKernel.Rows; r++)
            {
                rows[r] = r;
            }

            for (int p = 0; p < Depth; p++)
            {
                steps[p] = p * GemmMicroKernel.Rows;
            }

            new Span<float>(a, GemmMicroKernel.Rows * Depth).Fill(1e-3f);
            new Span<float>(b, tileColumns * Depth).Fill(1e-3f);
            var run = new Tiles(a, rows, steps, b, c, tileColumns);
            double best = double.MaxValue;
            for (int attempt = 0; attempt < 20; attempt++)
            {
                long start = Stopwatch.GetTimestamp();
                WidestLanes.Run(ref run);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            return 2.0 * GemmMicroKernel.Rows * tileColumns * Depth * CallsPerRun / best;
        }
        finally
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
            NativeMemory.AlignedFree(c);
            NativeMemory.AlignedFree(rows);
            NativeMemory.AlignedFree(steps);
        }
    }

    private static float* Allocate(int count) => (float*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(float)), 64);

    private readonly struct Tiles(float* a, int* rows, int* steps, float* b, float* c, int tileColumns) : ILanesAction
    {
        public void Run<TLanes, TVector>()
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            for (int call = 0; call < CallsPerRun; call++)
            {
                GemmMicroKernel.Run<TLanes, TVector>(Depth, a, rows, steps, b, c, tileColumns, overwrite: false);
            }
        }
    }
}
