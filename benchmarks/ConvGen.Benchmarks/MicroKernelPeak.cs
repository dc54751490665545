using System.Diagnostics;
using System.Runtime.InteropServices;
using ConvGen.Kernels;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Benchmarks;

/// <summary>
/// What the cores of this machine really multiply, measured rather than taken from a clock speed and FMA count, which a
/// virtual machine may not deliver: fused multiply-adds on registers alone with no memory traffic at all
/// (<see cref="Workload.Registers"/>), the machine's peak, and the GEMM micro-kernel on operands that sit in L1
/// (<see cref="Workload.MicroKernel"/>), the most any kernel built on it can deliver. One core alone
/// (<see cref="OneCore"/>), or every core at once on the kernels' own pool (<see cref="SecondsTogether"/>): on a shared
/// host the cores at times slow each other down, so one core's figure times the cores overstates the second.
/// </summary>
public static unsafe class MicroKernelPeak
{
    private const int Depth = 256;
    private const int CallsPerRun = 4000;
    private const int Runs = 20;

    private static double FlopsPerCall => 2.0 * GemmMicroKernel.Rows * Gemm.TileColumns * Depth;

    /// <summary>What the threads run.</summary>
    public enum Workload
    {
        /// <summary>The 6 x 2-register micro-kernel, operands in L1.</summary>
        MicroKernel,

        /// <summary>As many multiply-adds as the micro-kernel, on twelve accumulators that never touch memory.</summary>
        Registers,
    }

    /// <summary>Floating-point operations per second of one core alone, on a thread of its own: the best of several runs.</summary>
    public static double OneCore(Workload workload)
    {
        double best = double.MaxValue;
        var thread = new Thread(() =>
        {
            using var operands = new Operands();
            operands.Run(calls: 1, workload);
            for (int attempt = 0; attempt < Runs; attempt++)
            {
                long start = Stopwatch.GetTimestamp();
                operands.Run(CallsPerRun, workload);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        });
        thread.Start();
        thread.Join();
        return FlopsPerCall * CallsPerRun / best;
    }

    /// <summary>
    /// Seconds the kernels' own worker pool takes to run the workload for <paramref name="flops"/>, an equal share on
    /// each of <paramref name="threads"/> parts, woken as a kernel wakes them: the time no kernel of that many flops
    /// can beat at this moment, every core busy at once for as long as the kernel it is compared with.
    /// </summary>
    public static double SecondsTogether(double flops, int threads, Workload workload)
    {
        int calls = (int)Math.Ceiling(flops / threads / FlopsPerCall);
        Operands* operands = stackalloc Operands[threads];
        for (int part = 0; part < threads; part++)
        {
            operands[part] = new Operands();
        }

        try
        {
            var warm = new Shares(operands, calls: 1, workload);
            WorkerPool.Run(ref warm, threads);
            var shares = new Shares(operands, calls, workload);
            long start = Stopwatch.GetTimestamp();
            WorkerPool.Run(ref shares, threads);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        finally
        {
            for (int part = 0; part < threads; part++)
            {
                operands[part].Dispose();
            }
        }
    }

    // One part per thread of the pool, each on operands of its own.
    private readonly struct Shares(Operands* operands, int calls, Workload workload) : IPartitionedWork
    {
        public void Execute(int part) => operands[part].Run(calls, workload);
    }

    // One thread's tile of A, panel of B and tile of C, small enough to stay in L1, and the offset tables.
    private readonly struct Operands : IDisposable
    {
        private readonly float* a, b, c;
        private readonly int* rows, steps;

        public Operands()
        {
            a = Allocate(GemmMicroKernel.Rows * Depth);
            b = Allocate(Gemm.TileColumns * Depth);
            c = Allocate(GemmMicroKernel.Rows * Gemm.TileColumns);
            rows = (int*)Allocate(GemmMicroKernel.Rows);
            steps = (int*)Allocate(Depth);
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

        public void Run(int calls, Workload workload)
        {
            if (workload == Workload.Registers)
            {
                var multiplyAdds = new RegisterMultiplyAdds(c, calls);
                WidestLanes.Run(ref multiplyAdds);
                return;
            }

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

    // The micro-kernel's multiply-adds, twelve independent chains (enough to keep two FMA units of latency 4 busy),
    // operands in registers; the sums are stored once so that the loop cannot be thrown away.
    private readonly struct RegisterMultiplyAdds(float* sink, int calls) : ILanesAction
    {
        public void Run<TLanes, TVector>()
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            TVector x = TLanes.Broadcast(1.0000001f), y = TLanes.Broadcast(0.9999999f);
            TVector c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
            TVector c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
            for (long step = (long)calls * Depth; step > 0; step--)
            {
                c0 = TLanes.MultiplyAdd(x, y, c0);
                c1 = TLanes.MultiplyAdd(x, y, c1);
                c2 = TLanes.MultiplyAdd(x, y, c2);
                c3 = TLanes.MultiplyAdd(x, y, c3);
                c4 = TLanes.MultiplyAdd(x, y, c4);
                c5 = TLanes.MultiplyAdd(x, y, c5);
                c6 = TLanes.MultiplyAdd(x, y, c6);
                c7 = TLanes.MultiplyAdd(x, y, c7);
                c8 = TLanes.MultiplyAdd(x, y, c8);
                c9 = TLanes.MultiplyAdd(x, y, c9);
                c10 = TLanes.MultiplyAdd(x, y, c10);
                c11 = TLanes.MultiplyAdd(x, y, c11);
            }

            TVector sum = TLanes.Add(TLanes.Add(TLanes.Add(c0, c1), TLanes.Add(c2, c3)), TLanes.Add(TLanes.Add(c4, c5), TLanes.Add(c6, c7)));
            TLanes.Store(sink, TLanes.Add(sum, TLanes.Add(TLanes.Add(c8, c9), TLanes.Add(c10, c11))));
        }
    }
}
