using System.Diagnostics;
using System.Runtime.InteropServices;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks;

/// <summary>
/// What the cores of this machine really multiply: the GEMM micro-kernel on operands that sit in L1, run on every
/// core at once (a core alone may clock higher than two together). Nothing a kernel does can beat it, so it is the
/// yardstick the quick kernel timings measure against, rather than a clock speed and FMA count that a virtual machine
/// may not deliver.
/// </summary>
public static unsafe class MicroKernelPeak
{
    private const int Depth = 256;
    private const int CallsPerRun = 4000;
    private const int Runs = 20;

    /// <summary>Floating-point operations per second of <paramref name="threads"/> threads together, each the best of several runs.</summary>
    public static double Measure(int threads)
    {
        var rates = new double[threads];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            rates[i] = OneThread();
        })).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        return rates.Sum();
    }

    private static double OneThread()
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
            for (int attempt = 0; attempt < Runs; attempt++)
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
