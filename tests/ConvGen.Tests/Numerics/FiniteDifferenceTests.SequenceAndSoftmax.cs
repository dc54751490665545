using ConvGen.Kernels;
using ConvGen.Shapes;

namespace ConvGen.Tests.Numerics;

/// <summary>Conv1d (through both convolution kernels), softmax and log-softmax against central differences.</summary>
/// <remarks>
/// The same objective and tolerances as the other cases. Softmax is smooth, so central differences carry a truncation
/// error of h^2/6 * |f'''|: below 2e-5 here, since softmax's third derivatives stay below 1 for any input.
/// </remarks>
public sealed partial class FiniteDifferenceTests
{
    [Theory]
    [InlineData(1, 0, 1, 1, false)]
    [InlineData(2, 2, 1, 1, false)]
    [InlineData(1, 1, 2, 1, true)]
    [InlineData(3, 1, 1, 2, true)]
    [InlineData(2, 0, 2, 2, true)]
    public void Conv1d_gradients_match_central_differences(int stride, int padding, int dilation, int groups, bool general)
    {
        var random = new Random(7);
        const int batch = 2, length = 11, kernel = 3;
        Conv2dGeometry geometry = Conv2dGeometry.Conv1d(
            inChannels: 4, inputLength: length, outChannels: 6, outputLength: (int)ShapeRules.ConvolutionOutputSize(length, kernel, stride, padding, dilation),
            kernel, stride, padding, dilation, groups);
        Assert.Equal(general, geometry.NeedsGeneralKernel);
        float[] input = Uniform(random, batch * geometry.InputSize), weight = Uniform(random, geometry.WeightSize);
        float[] bias = Uniform(random, geometry.OutChannels), weighting = Uniform(random, batch * geometry.OutputSize);
        double Objective() => WeightedSum(
            general ? KernelHarness.Conv2dGeneralForward(input, weight, bias, batch, geometry) : KernelHarness.Conv2dForward(input, weight, bias, batch, geometry),
            weighting);

        LayerGradients analytic = general
            ? KernelHarness.Conv2dGeneralBackward(input, weight, weighting, hasBias: true, batch, geometry)
            : KernelHarness.Conv2dBackward(input, weight, weighting, hasBias: true, batch, geometry);
        AssertGradient("conv1d input", input, analytic.Input, Objective);
        AssertGradient("conv1d weight", weight, analytic.Weight, Objective);
        AssertGradient("conv1d bias", bias, analytic.Bias, Objective);
    }

    [Theory]
    [InlineData(false, 1f, 1)]
    [InlineData(false, 6f, 3)]
    [InlineData(true, 1f, 1)]
    [InlineData(true, 6f, 3)]
    public void Softmax_gradient_matches_central_differences(bool log, float scale, int positions)
    {
        var random = new Random(8);
        const int batch = 2, channels = 5;
        float[] input = Uniform(random, batch * channels * positions).Select(v => v * scale).ToArray();
        float[] weighting = Uniform(random, input.Length);
        double Objective() => WeightedSum(KernelHarness.SoftmaxForward(input, batch, channels, positions, log), weighting);

        float[] analytic = KernelHarness.SoftmaxBackward(KernelHarness.SoftmaxForward(input, batch, channels, positions, log), weighting, batch, channels, positions, log);
        AssertGradient(log ? "log-softmax input" : "softmax input", input, analytic, Objective);
    }
}
