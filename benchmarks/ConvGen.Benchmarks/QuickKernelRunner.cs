using System.Diagnostics;
using ConvGen.Kernels;

namespace ConvGen.Benchmarks;

/// <summary>
/// Stopwatch timings of <see cref="KernelCases"/>, with GFLOP/s and the share of the machine's peak: fused
/// multiply-adds on registers alone (<see cref="MicroKernelPeak"/>), one core's best times the cores. On a shared
/// machine what the cores give together moves with others' load, so the GEMM is also set against that, measured right
/// after each run, for the same flops. benchmarks/pytorch/kernels.py times the same cases under the same names.
/// </summary>
public static class QuickKernelRunner
{
    // Every case warms up this long first, as kernels.py does: five calls left the code around the kernels at the
    // JIT's first tier for part of the timed runs (a median 8% slower and a tail three times as long).
    private const double WarmupSeconds = 0.5;

    public static void Run()
    {
        int threads = Environment.ProcessorCount;
        string width = $"{Gemm.TileColumns / 2 * 32}-bit registers";
        double oneCore = MicroKernelPeak.OneCore(MicroKernelPeak.Workload.Registers);
        double microKernel = MicroKernelPeak.OneCore(MicroKernelPeak.Workload.MicroKernel);
        (double medianTogether, double bestTogether) = PeakTogether(threads, runs: 15);
        // The kernels' shares are of every core at one core's best: the most the cores could give, steadier than the
        // peak they give together, which moves with the host from one moment to the next.
        double peak = threads * oneCore;
        Console.WriteLine(
            $"machine peak (multiply-adds on {width} alone): {oneCore / 1e9:F1} GFLOP/s on one core, {peak / 1e9:F1} on {threads} " +
            $"at that rate (the shares below); all {threads} at once gave {medianTogether / 1e9:F1} at the median of 15 runs, {bestTogether / 1e9:F1} at best");
        Console.WriteLine($"GEMM micro-kernel, operands in L1, one core: {microKernel / 1e9:F1} GFLOP/s = {microKernel / oneCore:P1} of that core's peak");
        var cases = new KernelCases();
        Report("GEMM 1024^3 NN", cases.Gemm1024, KernelCases.GemmFlops, peak, runs: 15);
        ReportShares(cases, rounds: 15);
        double first = KernelCases.ConvolutionFlops(KernelCases.FirstConvolution), second = KernelCases.ConvolutionFlops(KernelCases.SecondConvolution);
        Report("conv1 forward, N=64", cases.FirstForward, first, peak, runs: 25);
        Report("conv1 backward weight, N=64", cases.FirstBackwardWeight, first, peak, runs: 25);
        Report("conv2 forward, N=64", cases.SecondForward, second, peak, runs: 25);
        Report("conv2 backward weight, N=64", cases.SecondBackwardWeight, second, peak, runs: 25);
        Report("conv2 backward input, N=64", cases.SecondBackwardInput, second, peak, runs: 25);
        Report("pool1 max forward, N=64", cases.FirstPoolForward, flops: 0, peak, runs: 25);
        Report("bn 16x28x28 train forward, N=64", cases.NormalizationForward, flops: 0, peak, runs: 25);
        Report("bn 16x28x28 backward, N=64", cases.NormalizationBackward, flops: 0, peak, runs: 25);
        Report("fc1 forward 3136->1024, N=64", cases.LinearForward, KernelCases.LinearFlops, peak, runs: 25);
        Report("fc1 backward weight, N=64", cases.LinearBackwardWeight, KernelCases.LinearFlops, peak, runs: 25);
        Report("fc1 backward input, N=64", cases.LinearBackwardInput, KernelCases.LinearFlops, peak, runs: 25);
        Report("Adam, 3.27 M parameters", cases.AdamUpdate, flops: 0, peak, runs: 25);
    }

    // The peak of every core at once: the register workload for the GEMM's flops, an equal share on each core of the
    // kernels' own pool. On a shared host the cores at times slow each other down (by up to half on this project's
    // machine), so each core's own best, added up, would overstate what they deliver together.
    private static (double Median, double Best) PeakTogether(int threads, int runs)
    {
        var rates = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            rates[run] = KernelCases.GemmFlops / MicroKernelPeak.SecondsTogether(KernelCases.GemmFlops, threads, MicroKernelPeak.Workload.Registers);
        }

        Array.Sort(rates);
        return (rates[runs / 2], rates[^1]);
    }

    // Each GEMM run followed at once by the machine's peak workload doing the same flops on every core together: the
    // share of what the machine delivers at that moment, which others' load on a shared machine disturbs far less than
    // either time. OpenBLAS, when installed, takes its turn in every round on the same operands, against a peak of its
    // own. A pause comes before each library's turn and before each peak, so that no thread is still spinning from the
    // last one, and after each pause one untimed run, for the GEMM and the peak alike.
    private static void ReportShares(KernelCases cases, int rounds)
    {
        int threads = Environment.ProcessorCount;
        OpenBlasGemm? blas = OpenBlasGemm.TryLoad(threads);
        var ours = new GemmShares("ConvGen", cases.Gemm1024);
        GemmShares? theirs = blas == null ? null : new GemmShares($"OpenBLAS ({blas.Core})", () => cases.Gemm1024By(blas));
        for (int round = -1; round < rounds; round++)
        {
            // Round -1 warms both up untimed.
            ours.Measure(threads, record: round >= 0);
            theirs?.Measure(threads, record: round >= 0);
        }

        Console.WriteLine($"GEMM 1024^3 NN as a share of the peak on all {threads} cores together for the same flops, measured right after each run, {rounds} rounds:");
        Console.WriteLine(ours.Summary());
        if (theirs == null)
        {
            Console.WriteLine($"  OpenBLAS: none at {OpenBlasGemm.LibraryPath} (run.sh installs it; OPENBLAS_LIBRARY points elsewhere)");
            return;
        }

        Console.WriteLine(theirs.Summary());
        Console.WriteLine($"  the two products differ by at most {cases.GemmDisagreement():E1} of C's largest value");
    }

    private static void Report(string name, Action action, double flops, double peak, int runs)
    {
        Measurement time = Measurement.Of(action, warmups: 5, runs, WarmupSeconds);
        string rate = flops == 0 ? "" : $"  {flops / time.MedianSeconds / 1e9,7:F1} GFLOP/s = {flops / time.MedianSeconds / peak,6:P1} of peak";
        // "name: time", the form run.sh pairs with benchmarks/pytorch/kernels.py's lines.
        Console.WriteLine($"{name + ":",-31} {time.Milliseconds}{rate}");
    }

    // One library's GEMM runs, each with the peak measured right after it.
    private sealed class GemmShares(string name, Action multiply)
    {
        // Long enough for a worker pool or OpenMP team that spins after its last job to have gone to sleep.
        private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

        private readonly List<double> rates = [];
        private readonly List<double> shares = [];

        public void Measure(int threads, bool record)
        {
            Thread.Sleep(Pause);
            // An untimed call first wakes the library's threads (and the cores) after the pause.
            multiply();
            long start = Stopwatch.GetTimestamp();
            multiply();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            Thread.Sleep(Pause);
            // The peak gets the same untimed first run as the GEMM: a core that has just been idle may run slower.
            MicroKernelPeak.SecondsTogether(KernelCases.GemmFlops, threads, MicroKernelPeak.Workload.Registers);
            double together = MicroKernelPeak.SecondsTogether(KernelCases.GemmFlops, threads, MicroKernelPeak.Workload.Registers);
            if (record)
            {
                rates.Add(KernelCases.GemmFlops / seconds);
                shares.Add(together / seconds);
            }
        }

        public string Summary()
        {
            rates.Sort();
            shares.Sort();
            return $"  {name + ":",-22} {rates[rates.Count / 2] / 1e9,6:F1} GFLOP/s, {shares[shares.Count / 2],6:P1} of peak " +
                $"(quartiles {shares[shares.Count / 4]:P1} to {shares[shares.Count * 3 / 4]:P1})";
        }
    }
}
