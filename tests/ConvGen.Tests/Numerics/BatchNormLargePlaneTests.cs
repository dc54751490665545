namespace ConvGen.Tests.Numerics;

/// <summary>
/// Planes larger than the kernel's summation blocks (1024 values) and of odd size, so block boundaries and vector tails
/// both occur, with inputs centred far from zero: the kernel against the textbook formulas evaluated in double.
/// </summary>
public sealed class BatchNormLargePlaneTests
{
    private const int Batch = 2, Channels = 3, Plane = 33 * 33;

    [Fact]
    public void TrainingPassAndGradientsMatchTheFormulasInDouble()
    {
        var random = new Random(12);
        float[] input = Enumerable.Range(0, Batch * Channels * Plane).Select(_ => 50f + 2f * random.NextSingle()).ToArray();
        float[] weight = [0.5f, -1.5f, 2f], bias = [0.1f, 0.2f, -0.3f], runningMean = [0f, 1f, 2f], runningVariance = [1f, 2f, 3f];
        float[] outputGradient = Enumerable.Range(0, input.Length).Select(_ => random.NextSingle() - 0.5f).ToArray();

        BatchNormPass pass = BatchNormHarness.Forward(input, weight, bias, runningMean, runningVariance, Batch, Channels, Plane, training: true, epsilon: 1e-5, momentum: 0.1);
        LayerGradients gradients = BatchNormHarness.Backward(pass, input, weight, outputGradient, Batch, Channels, Plane, training: true);

        const int count = Batch * Plane;
        for (int c = 0; c < Channels; c++)
        {
            int[] at = Enumerable.Range(0, Batch).SelectMany(n => Enumerable.Range((n * Channels + c) * Plane, Plane)).ToArray();
            double mean = at.Average(i => (double)input[i]);
            double variance = at.Sum(i => (input[i] - mean) * (input[i] - mean)) / count;
            double inverseStd = 1 / Math.Sqrt(variance + 1e-5);
            double gradientSum = at.Sum(i => (double)outputGradient[i]);
            double gradientDotNormalised = at.Sum(i => outputGradient[i] * (input[i] - mean) * inverseStd);
            Close(0.9 * runningMean[c] + 0.1 * mean, pass.RunningMean[c], $"running mean {c}");
            Close(0.9 * runningVariance[c] + 0.1 * variance * count / (count - 1), pass.RunningVariance[c], $"running variance {c}");
            Close(gradientDotNormalised, gradients.Weight[c], $"weight gradient {c}");
            Close(gradientSum, gradients.Bias[c], $"bias gradient {c}");
            foreach (int i in at)
            {
                double normalised = (input[i] - mean) * inverseStd;
                Close(normalised * weight[c] + bias[c], pass.Output[i], $"output {i}");
                Close(weight[c] * inverseStd * (outputGradient[i] - gradientSum / count - normalised * gradientDotNormalised / count), gradients.Input[i], $"input gradient {i}");
            }
        }
    }

    // The kernel rounds the mean (about 51) to float32, within 4e-6, and subtracts in float32: a 7e-6 share of the spread (std 0.58).
    private static void Close(double expected, float actual, string what) =>
        Assert.True(NumericAssert.IsClose(actual, expected, 1e-4), $"{what}: kernel {actual}, formula {expected}");
}
