using ConvGen.Kernels;
using ConvGen.Tests.Numerics;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Batch normalisation splits its channels over the kernel threads: on one thread and on every core, each pass must give
/// the same bits, for channel counts that do and do not divide evenly. Alone in the process, since the thread count is a
/// process-wide setting.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class BatchNormThreadCountTests
{
    [Theory]
    [InlineData(32, 16, 196)]
    [InlineData(64, 3, 784)]
    [InlineData(8, 5, 1)]
    public void OneThreadAndAllCoresGiveTheSameBits(int batch, int channels, int plane)
    {
        var random = new Random(11);
        float[] input = Values(batch * channels * plane, random, offset: 3), outputGradient = Values(input.Length, random, offset: 0);
        float[] weight = Values(channels, random, offset: 1), bias = Values(channels, random, offset: 0);
        float[] runningMean = Values(channels, random, offset: 0), runningVariance = Values(channels, random, offset: 2);

        foreach (bool training in new[] { true, false })
        {
            (BatchNormPass onePass, LayerGradients oneGradients) = Run(1, training);
            (BatchNormPass allPass, LayerGradients allGradients) = Run(KernelThreads.Maximum, training);
            string what = $"{batch}x{channels}x{plane} {(training ? "training" : "evaluation")}";
            BitAssert.Identical(onePass.Output, allPass.Output, what + " output");
            BitAssert.Identical(onePass.RunningMean, allPass.RunningMean, what + " running mean");
            BitAssert.Identical(onePass.RunningVariance, allPass.RunningVariance, what + " running variance");
            BitAssert.Identical(oneGradients.Input, allGradients.Input, what + " input gradient");
            BitAssert.Identical(oneGradients.Weight, allGradients.Weight, what + " weight gradient");
            BitAssert.Identical(oneGradients.Bias, allGradients.Bias, what + " bias gradient");
            Assert.DoesNotContain(onePass.Output, float.IsNaN);
            Assert.DoesNotContain(oneGradients.Input, float.IsNaN);
        }

        (BatchNormPass, LayerGradients) Run(int threads, bool training)
        {
            int original = KernelThreads.Count;
            try
            {
                KernelThreads.Count = threads;
                BatchNormPass pass = BatchNormHarness.Forward(input, weight, bias, runningMean, runningVariance, batch, channels, plane, training, 1e-5, 0.1);
                return (pass, BatchNormHarness.Backward(pass, input, weight, outputGradient, batch, channels, plane, training));
            }
            finally
            {
                KernelThreads.Count = original;
            }
        }
    }

    [Fact]
    public void BuffersTooShortForTheShapeAreRefusedBeforeAnyValueIsRead()
    {
        float[] input = new float[2 * 3 * 4], output = new float[input.Length], channel = new float[3], shortChannel = new float[2];
        var shortOutput = Assert.Throws<ArgumentException>(() => BatchNormalization.ForwardTraining(
            input, channel, channel, output.AsSpan(1), channel, channel, channel, channel, 2, 3, 4, 1e-5, 0.1));
        Assert.Contains("2 x 3 channels x 4 values does not fit", shortOutput.Message);
        Assert.Throws<ArgumentException>(() => BatchNormalization.ForwardEvaluation(
            input, channel, shortChannel, output, channel, channel, channel, channel, 2, 3, 4, 1e-5));
        Assert.Throws<ArgumentException>(() => BatchNormalization.Backward(
            input, output, channel, channel, channel, input.AsSpan(2), channel, channel, 2, 3, 4, training: true));
    }

    private static float[] Values(int count, Random random, float offset)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = offset + (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
