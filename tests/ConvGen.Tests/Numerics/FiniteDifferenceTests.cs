using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// Every analytic gradient against central differences of a scalar objective, an oracle that needs neither PyTorch nor
/// the backward code: for a layer <c>y = f(x, W, b)</c> the objective is <c>L = sum_i r_i * y_i</c> with fixed random
/// <c>r</c>, summed in double, so <c>dL/dy = r</c> is the upstream gradient the backward pass receives.
/// </summary>
/// <remarks>
/// Tolerance. The kernels run in float32 (unit roundoff u = 6e-8), so every evaluation of L carries rounding noise.
/// Only the outputs that read the perturbed entry change between L(v + h) and L(v - h) (the rest are recomputed bit for
/// bit and cancel): a few dozen here, each off by about u times the sum of its |terms|, a few units for values in
/// [-1, 1]. That puts noise of order 1e-6 in the difference, which dividing by 2h = 0.02 turns into about 5e-5 (the
/// largest error these cases show is 3e-5); <see cref="AbsoluteTolerance"/> = 1e-3 leaves a wide margin.
/// Conv, linear, average pooling, and max pooling and ReLU away from their kinks, are linear in each entry, so central
/// differences have no truncation error there; cross-entropy's is h^2/6 * |f'''|, below 2e-5 for these logits.
/// <see cref="RelativeTolerance"/> = 1e-2 on top lets the noise grow with large gradients, yet any factor, index or
/// sign error moves an entry by far more than 1%. Inputs stay at least 0.05 (5h) from ReLU's kink and from ties between
/// max-pool candidates, so no perturbation crosses a kink.
/// </remarks>
public sealed partial class FiniteDifferenceTests
{
    private const float Step = 1e-2f;
    private const double AbsoluteTolerance = 1e-3;
    private const double RelativeTolerance = 1e-2;

    [Theory]
    [InlineData(2, 2, 1, 1)]
    [InlineData(1, 3, 2, 0)]
    [InlineData(3, 1, 0, 2)]
    public void Conv2d_gradients_match_central_differences(int strideHeight, int strideWidth, int paddingHeight, int paddingWidth)
    {
        var random = new Random(1);
        const int batch = 2;
        Conv2dGeometry geometry = KernelHarness.ConvolutionGeometry(
            inChannels: 2, height: 6, width: 7, outChannels: 3, kernelHeight: 3, kernelWidth: 2,
            strideHeight, strideWidth, paddingHeight, paddingWidth);
        float[] input = Uniform(random, batch * geometry.InputSize), weight = Uniform(random, geometry.WeightSize);
        float[] bias = Uniform(random, geometry.OutChannels), weighting = Uniform(random, batch * geometry.OutputSize);
        double Objective() => WeightedSum(KernelHarness.Conv2dForward(input, weight, bias, batch, geometry), weighting);

        LayerGradients analytic = KernelHarness.Conv2dBackward(input, weight, weighting, hasBias: true, batch, geometry);
        AssertGradient("conv2d input", input, analytic.Input, Objective);
        AssertGradient("conv2d weight", weight, analytic.Weight, Objective);
        AssertGradient("conv2d bias", bias, analytic.Bias, Objective);
    }

    [Theory]
    [InlineData(3, 2, 1)]
    [InlineData(2, 1, 0)]
    [InlineData(3, 3, 1)]
    public void Max_pool_gradient_matches_central_differences(int kernel, int stride, int padding)
    {
        var random = new Random(2);
        const int planes = 3;
        PoolGeometry geometry = KernelHarness.PoolingGeometry(6, 5, kernel, kernel, stride, stride, padding, padding);
        float[] input = DistinctPerPlane(random, planes, geometry.InputPlane);
        float[] weighting = Uniform(random, planes * geometry.OutputPlane);
        double Objective() => WeightedSum(KernelHarness.MaxPoolForward(input, planes, geometry).Output, weighting);

        int[] indices = KernelHarness.MaxPoolForward(input, planes, geometry).Indices;
        AssertGradient("max pool input", input, KernelHarness.MaxPoolBackward(weighting, indices, planes, geometry), Objective);
    }

    [Theory]
    [InlineData(3, 2, 1)]
    [InlineData(2, 1, 0)]
    [InlineData(4, 3, 2)]
    public void Average_pool_gradient_matches_central_differences(int kernel, int stride, int padding)
    {
        var random = new Random(3);
        const int planes = 3;
        PoolGeometry geometry = KernelHarness.PoolingGeometry(6, 5, kernel, kernel, stride, stride, padding, padding);
        float[] input = Uniform(random, planes * geometry.InputPlane), weighting = Uniform(random, planes * geometry.OutputPlane);
        double Objective() => WeightedSum(KernelHarness.AveragePoolForward(input, planes, geometry), weighting);

        AssertGradient("average pool input", input, KernelHarness.AveragePoolBackward(weighting, planes, geometry), Objective);
    }

    [Fact]
    public void Linear_gradients_match_central_differences()
    {
        var random = new Random(4);
        const int batch = 3, inFeatures = 7, outFeatures = 5;
        float[] input = Uniform(random, batch * inFeatures), weight = Uniform(random, outFeatures * inFeatures);
        float[] bias = Uniform(random, outFeatures), weighting = Uniform(random, batch * outFeatures);
        double Objective() => WeightedSum(KernelHarness.LinearForward(input, weight, bias, batch, inFeatures, outFeatures), weighting);

        LayerGradients analytic = KernelHarness.LinearBackward(input, weight, weighting, hasBias: true, batch, inFeatures, outFeatures);
        AssertGradient("linear input", input, analytic.Input, Objective);
        AssertGradient("linear weight", weight, analytic.Weight, Objective);
        AssertGradient("linear bias", bias, analytic.Bias, Objective);
    }

    [Fact]
    public void Relu_gradient_matches_central_differences()
    {
        var random = new Random(5);
        // Magnitudes in [0.05, 1], either sign: no perturbation of h = 0.01 crosses zero.
        float[] input = Uniform(random, 60).Select(v => MathF.CopySign(0.05f + 0.95f * MathF.Abs(v), v)).ToArray();
        float[] weighting = Uniform(random, input.Length);
        double Objective() => WeightedSum(KernelHarness.ReluForward(input), weighting);

        float[] analytic = KernelHarness.ReluBackward(KernelHarness.ReluForward(input), weighting);
        AssertGradient("relu input", input, analytic, Objective);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(8f)]
    public void Cross_entropy_gradient_matches_central_differences(float logitScale)
    {
        var random = new Random(6);
        const int batch = 4, classes = 5;
        float[] logits = Uniform(random, batch * classes).Select(v => v * logitScale).ToArray();
        int[] labels = Enumerable.Range(0, batch).Select(_ => random.Next(classes)).ToArray();
        // The loss is already a scalar, so it is the objective itself.
        double Objective() => CrossEntropy.Loss(logits, labels, batch, classes);

        AssertGradient("cross-entropy logits", logits, KernelHarness.CrossEntropyLossAndGradient(logits, labels, batch, classes).LogitGradient, Objective);
    }

    [Theory]
    [InlineData("cross_entropy", Reduction.Mean)]
    [InlineData("cross_entropy", Reduction.None)]
    [InlineData("nll", Reduction.Sum)]
    [InlineData("nll", Reduction.None)]
    [InlineData("bce", Reduction.Mean)]
    [InlineData("bce", Reduction.None)]
    [InlineData("bce_with_logits", Reduction.Sum)]
    [InlineData("bce_with_logits", Reduction.None)]
    [InlineData("mse", Reduction.Mean)]
    [InlineData("mse", Reduction.None)]
    public void Loss_gradients_match_central_differences(string loss, Reduction reduction)
    {
        var random = new Random(7);
        const int batch = 4, classes = 5;
        // Probabilities in [0.1, 0.9] keep BCE's perturbed inputs inside (0, 1), away from its clamps.
        float[] input = Uniform(random, batch * classes).Select(v => loss == "bce" ? 0.5f + 0.4f * v : 3f * v).ToArray();
        float[] target = Uniform(random, input.Length).Select(v => loss == "mse" ? v : 0.5f + 0.5f * v).ToArray();
        int[] labels = Enumerable.Range(0, batch).Select(_ => random.Next(classes)).ToArray();
        bool classIndex = loss is "cross_entropy" or "nll";
        float[] upstream = reduction == Reduction.None ? Uniform(random, classIndex ? batch : input.Length) : [];
        float[] losses = new float[upstream.Length];
        float Run(Span<float> gradient) => loss switch
        {
            "cross_entropy" => CrossEntropy.LossAndGradient(input, labels, gradient, batch, classes, reduction, upstream, losses),
            "nll" => NllLoss.LossAndGradient(input, labels, gradient, batch, classes, reduction, upstream, losses),
            "bce" => BceLoss.LossAndGradient(input, target, gradient, reduction, upstream, losses),
            "bce_with_logits" => BceWithLogitsLoss.LossAndGradient(input, target, gradient, reduction, upstream, losses),
            _ => MseLoss.LossAndGradient(input, target, gradient, reduction, upstream, losses),
        };

        // Unreduced, the objective weights each term's loss by its upstream gradient, as the backward pass does.
        double Objective()
        {
            float value = Run(new float[input.Length]);
            return reduction == Reduction.None ? WeightedSum(losses, upstream) : value;
        }

        float[] analytic = new float[input.Length];
        Run(analytic);
        AssertGradient($"{loss} ({reduction}) input", input, analytic, Objective);
    }

    /// <summary>
    /// Compares every entry of <paramref name="analytic"/> with <c>(L(v + h) - L(v - h)) / (2h)</c>, perturbing
    /// <paramref name="variable"/> in place one entry at a time (and restoring it). The divisor is the distance between
    /// the two float32 values actually used, not the nominal 2h.
    /// </summary>
    internal static void AssertGradient(string what, float[] variable, float[] analytic, Func<double> objective)
    {
        Assert.Equal(variable.Length, analytic.Length);
        var failures = new List<string>();
        for (int i = 0; i < variable.Length; i++)
        {
            float saved = variable[i], up = saved + Step, down = saved - Step;
            variable[i] = up;
            double plus = objective();
            variable[i] = down;
            double minus = objective();
            variable[i] = saved;

            double numeric = (plus - minus) / ((double)up - down);
            if (!(Math.Abs(analytic[i] - numeric) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(numeric)))
            {
                failures.Add($"[{i}] analytic {analytic[i]:G6}, numeric {numeric:G6}");
            }
        }

        Assert.True(failures.Count == 0, $"{what}: {failures.Count} of {variable.Length} gradient entries disagree with central differences: {string.Join("; ", failures.Take(5))}");
    }

    internal static double WeightedSum(ReadOnlySpan<float> output, ReadOnlySpan<float> weighting)
    {
        Assert.Equal(weighting.Length, output.Length);
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            sum += (double)output[i] * weighting[i];
        }

        return sum;
    }

    internal static float[] Uniform(Random random, int count) => Enumerable.Range(0, count).Select(_ => 2f * random.NextSingle() - 1f).ToArray();

    // Each plane a shuffle of 0, 0.1, 0.2, ...: every two candidates of a window differ by at least 0.1 = 10h.
    private static float[] DistinctPerPlane(Random random, int planes, int planeSize)
    {
        float[] values = new float[planes * planeSize];
        for (int plane = 0; plane < planes; plane++)
        {
            Span<float> slice = values.AsSpan(plane * planeSize, planeSize);
            for (int i = 0; i < planeSize; i++)
            {
                slice[i] = 0.1f * i - 1f;
            }

            random.Shuffle(slice);
        }

        return values;
    }
}
