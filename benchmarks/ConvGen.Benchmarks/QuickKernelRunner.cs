using ConvGen.Kernels;

namespace ConvGen.Benchmarks;

/// <summary>Stopwatch timings of <see cref="KernelCases"/>, with GFLOP/s and the share of the machine's peak.</summary>
public static class QuickKernelRunner
{
    // Two 512-bit FMA units per core at about 3.7 GHz: 2 x 16 lanes x 2 flops x 3.67e9 = 235 GFLOP/s per core.
    private const double PeakPerCore = 235e9;

    public static void Run()
    {
        var cases = new KernelCases();
        double peak = PeakPerCore * Environment.ProcessorCount;
        Report("GEMM 1024^3 NN", cases.Gemm1024, KernelCases.GemmFlops, peak, runs: 15);
        double first = KernelCases.ConvolutionFlops(KernelCases.FirstConvolution), second = KernelCases.ConvolutionFlops(KernelCases.SecondConvolution);
        Report("conv1 forward, N=64", cases.FirstForward, first, peak, runs: 25);
        Report("conv1 backward weight, N=64", cases.FirstBackwardWeight, first, peak, runs: 25);
        Report("conv2 forward, N=64", cases.SecondForward, second, peak, runs: 25);
        Report("conv2 backward weight, N=64", cases.SecondBackwardWeight, second, peak, runs: 25);
        Report("conv2 backward input, N=64", cases.SecondBackwardInput, second, peak, runs: 25);
        Report("fc1 forward 3136->1024, N=64", cases.LinearForward, KernelCases.LinearFlops, peak, runs: 25);
        Report("fc1 backward weight, N=64", cases.LinearBackwardWeight, KernelCases.LinearFlops, peak, runs: 25);
        Report("fc1 backward input, N=64", cases.LinearBackwardInput, KernelCases.LinearFlops, peak, runs: 25);
        Report("Adam, 3.27 M parameters", cases.AdamUpdate, flops: 0, peak, runs: 25);
    }

    private static void Report(string name, Action action, double flops, double peak, int runs)
    {
        Measurement time = Measurement.Of(action, warmups: 5, runs);
        Console.WriteLine($"{name,-30} {time.Milliseconds}  {flops / time.MedianSeconds / 1e9,7:F1} GFLOP/s = {flops / time.MedianSeconds / peak,6:P1} of {peak / 1e9:F0}");
    }
}
