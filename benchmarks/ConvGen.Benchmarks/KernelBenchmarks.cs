using BenchmarkDotNet.Attributes;

namespace ConvGen.Benchmarks;

/// <summary>
/// BenchmarkDotNet timings of the kernels that dominate a training step. GFLOP/s is <c>flops / mean time</c>;
/// the quick mode (<c>-- kernels</c>) prints it directly.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private readonly KernelCases cases = new();

    [Benchmark(Description = "GEMM 1024^3 NN (2.15 GFLOP)")]
    public void Gemm1024() => cases.Gemm1024();

    [Benchmark(Description = "conv1 forward 1x28x28->32, k5 p2, N=64")]
    public void FirstForward() => cases.FirstForward();

    [Benchmark(Description = "conv1 backward weight, N=64")]
    public void FirstBackwardWeight() => cases.FirstBackwardWeight();

    [Benchmark(Description = "conv2 forward 32x14x14->64, k5 p2, N=64")]
    public void SecondForward() => cases.SecondForward();

    [Benchmark(Description = "conv2 backward weight, N=64")]
    public void SecondBackwardWeight() => cases.SecondBackwardWeight();

    [Benchmark(Description = "conv2 backward input, N=64")]
    public void SecondBackwardInput() => cases.SecondBackwardInput();

    [Benchmark(Description = "pool1 max forward 32x28x28->14x14 with indices, N=64")]
    public void FirstPoolForward() => cases.FirstPoolForward();

    [Benchmark(Description = "bn 16x28x28 train forward, N=64")]
    public void NormalizationForward() => cases.NormalizationForward();

    [Benchmark(Description = "bn 16x28x28 backward, N=64")]
    public void NormalizationBackward() => cases.NormalizationBackward();

    [Benchmark(Description = "fc1 forward 3136->1024, N=64")]
    public void LinearForward() => cases.LinearForward();

    [Benchmark(Description = "fc1 backward weight, N=64")]
    public void LinearBackwardWeight() => cases.LinearBackwardWeight();

    [Benchmark(Description = "fc1 backward input, N=64")]
    public void LinearBackwardInput() => cases.LinearBackwardInput();

    [Benchmark(Description = "Adam, 3.27 M parameters")]
    public void AdamUpdate() => cases.AdamUpdate();
}
