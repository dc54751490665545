using static ConvGen.Tests.Numerics.FiniteDifferenceTests;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// <see cref="Kernels.BatchNormalization"/>'s gradients against central differences of its own forward pass, summed in double
/// (the oracle and tolerances of <see cref="FiniteDifferenceTests"/>). In training every input moves its channel's
/// mean and variance, so this checks the full gradient through both; in evaluation the running statistics are constants.
/// </summary>
/// <remarks>
/// A perturbed input changes every output of its channel, not just its own, so the rounding noise of L(v + h) - L(v - h)
/// grows with the channel's N*H*W values: about sqrt(60) * 2e-7 / 0.02 = 8e-5 for the largest channel here, well
/// inside the 1e-3 absolute tolerance. Batch norm is smooth; its third derivatives grow as the channel shrinks and its
/// spread narrows, so the channels hold at least 6 values spread over [-1, 1].
/// </remarks>
public sealed class BatchNormFiniteDifferenceTests
{
    [Theory]
    [InlineData(2, 3, 5, 6, true)]
    [InlineData(6, 2, 1, 1, true)] // 1x1 planes: statistics over the samples alone
    [InlineData(1, 2, 3, 4, true)] // one sample: statistics over its plane alone
    [InlineData(3, 2, 2, 3, false)]
    public void BatchNorm_gradients_match_central_differences(int batch, int channels, int height, int width, bool training)
    {
        var random = new Random(8);
        int plane = height * width;
        float[] input = Uniform(random, batch * channels * plane), weight = Uniform(random, channels), bias = Uniform(random, channels);
        float[] runningMean = Uniform(random, channels), runningVariance = Uniform(random, channels).Select(value => value + 1.5f).ToArray();
        float[] weighting = Uniform(random, input.Length);
        BatchNormPass Pass() => BatchNormHarness.Forward(input, weight, bias, runningMean, runningVariance, batch, channels, plane, training, epsilon: 1e-5, momentum: 0.1);
        double Objective() => WeightedSum(Pass().Output, weighting);

        LayerGradients analytic = BatchNormHarness.Backward(Pass(), input, weight, weighting, batch, channels, plane, training);
        AssertGradient("batch norm input", input, analytic.Input, Objective);
        AssertGradient("batch norm weight", weight, analytic.Weight, Objective);
        AssertGradient("batch norm bias", bias, analytic.Bias, Objective);
    }
}
