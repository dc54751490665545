using ConvGen.Kernels;
using ConvGen.Tests.Numerics;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Batch normalisation with the ReLU after it applied on the way out (what the planner fuses): the output must be
/// <see cref="Activations.ReluForward"/> of the plain output bit for bit, and the saved and running statistics, which
/// the backward pass and evaluation read, exactly the plain pass's; in training and in evaluation.
/// </summary>
public sealed class BatchNormReluTests
{
    [Theory]
    [InlineData(4, 3, 49)]
    [InlineData(2, 16, 784)]
    [InlineData(3, 5, 1)]
    public void TheFusedReluIsTheReluOfThePlainOutputBitForBit(int batch, int channels, int plane)
    {
        var random = new Random(batch * 1000 + channels * 10 + plane);
        float[] input = Values(batch * channels * plane, random, scale: 3f), weight = Values(channels, random, scale: 1.5f), bias = Values(channels, random, scale: 1f);
        float[] runningMean = Values(channels, random, scale: 1f), runningVariance = Values(channels, random, scale: 1f).Select(v => v + 1f).ToArray();
        input[0] = -0f;
        foreach (bool training in new[] { true, false })
        {
            BatchNormPass plain = BatchNormHarness.Forward(input, weight, bias, runningMean, runningVariance, batch, channels, plane, training, 1e-5, 0.1);
            BatchNormPass fused = BatchNormHarness.Forward(input, weight, bias, runningMean, runningVariance, batch, channels, plane, training, 1e-5, 0.1, relu: true);
            var expected = new float[plain.Output.Length];
            Activations.ReluForward(plain.Output, expected);
            string what = $"{batch}x{channels}x{plane} {(training ? "training" : "evaluation")}";
            BitAssert.Identical(expected, fused.Output, what + " output");
            Assert.Contains(fused.Output, value => value == 0f);
            Assert.Contains(fused.Output, value => value > 0f);
            BitAssert.Identical(plain.SavedMean, fused.SavedMean, what + " saved mean");
            BitAssert.Identical(plain.SavedInverseStd, fused.SavedInverseStd, what + " saved 1/std");
            BitAssert.Identical(plain.RunningMean, fused.RunningMean, what + " running mean");
            BitAssert.Identical(plain.RunningVariance, fused.RunningVariance, what + " running variance");
        }
    }

    private static float[] Values(int count, Random random, float scale) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
}
