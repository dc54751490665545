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

    private static double FlopsPerCall => 2.0 * GemmMicroKernel.Rows * Gemm.TileColumns * Depth;

    /// <summary>Floating-point operations per second of <paramref name="threads"/> threads together, each the best of several runs.</summary>
    public static double Measure(int threads)
    {
        var rates = new double[threads];
        RunTogether(threads, (i, operands) =>
        {
            double best = double.MaxValue;
            for (int attempt = 0; attempt < Runs; attempt++)
            {
                long start = Stopwatch.GetTimestamp();
                operands.Run(CallsPerRun);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            rates[i] = FlopsPerCall * CallsPerRun / best;
        });
        return rates.Sum();
    }

    /// <summary>
    /// Seconds that <paramref name="threads"/> threads, started together, take to run the micro-kernel for
    /// <paramref name="flops"/> between them, an equal share each: the time no kernel of that many flops can beat at
    /// this moment. <see cref="Measure"/> adds up each thread's best few milliseconds; this keeps every core busy at
    /// once for as long as the kernel it is compared with, which a machine that shares or slows its cores under load
    /// may not sustain.
    /// </summary>
    public static double SecondsTogether(double flops, int threads)
    {
        int calls = (int)Math.Ceiling(flops / threads / FlopsPerCall);
        var starts = new long[threads];
        var ends = new long[threads];
        RunTogether(threads, (i, operands) =>
        {
            starts[i] = Stopwatch.GetTimestamp();
            operands.Run(calls);
            ends[i] = Stopwatch.GetTimestamp();
        });
        return (double)(ends.Max() - starts.Min()) / Stopwatch.Frequency;
    }

    // Runs body(i) on threads 0..threads-1, each with its own warm operands, released together.
    private static void RunTogether(int threads, Action<int, Operands> body)
    {
        using var ready = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            using var operands = new Operands();
            operands.Run(calls: 1);
            ready.SignalAndWait();
            body(i, operands);
        })).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }
    }

    // One thread's tile of A, panel of B and tile of C, small enough to stay in L1, and the offset tables.
    private sealed class Operands : IDisposable
    {
        private readonly float* a = Allocate(GemmMicroKernel.Rows * Depth);
        private readonly float* b = Allocate(Gemm.TileColumns * Depth);
        private readonly float* c = Allocate(GemmMicroKernel.Rows * Gemm.TileColumns);
        private readonly int* rows = (int*)Allocate(GemmMicroKernel.Rows);
        private readonly int* steps = (int*)Allocate(Depth);

        public Operands()
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
            new Span<float>(b, Gemm.TileColumns * Depth).Fill(1e-3f);
            new Span<float>(c, GemmMicroKernel.Rows * Gemm.TileColumns).Clear();
        }

        public void Run(int calls)
        {
            var tiles = new Tiles(a, rows, steps, b, c, calls);
            WidestLanes.Run(ref tiles);
        }

        public void Dispose()
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
            NativeMemory.AlignedFree(c);
            NativeMemory.AlignedFree(rows);
            NativeMemory.AlignedFree(steps);
        }

        private static float* Allocate(int count) => (float*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(float)), 64);
    }

    private readonly struct Tiles(float* a, int* rows, int* steps, float* b, float* c, int calls) : ILanesAction
    {
        public void Run<TLanes, TVector>()
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            for (int call = 0; call < calls; call++)
            {
                GemmMicroKernel.Run<TLanes, TVector>(Depth, a, rows, steps, b, c, 2 * TLanes.Count, overwrite: false);
            }
        }
    }
}
