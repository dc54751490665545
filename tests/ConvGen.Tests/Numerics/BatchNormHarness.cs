using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary>What one <see cref="BatchNorm2d"/> forward pass gives: the output, the statistics it saved, the running statistics after it.</summary>
public sealed record BatchNormPass(float[] Output, float[] SavedMean, float[] SavedInverseStd, float[] RunningMean, float[] RunningVariance);

/// <summary>
/// Allocating wrappers over <see cref="BatchNorm2d"/>, so tests read as the math they check. Outputs start as NaN, and
/// the running statistics are copied first, so a pass is a pure function of its arguments.
/// </summary>
public static class BatchNormHarness
{
    /// <summary>One pass over <c>(batch, channels, plane)</c> values in training or evaluation mode.</summary>
    public static BatchNormPass Forward(
        float[] input, float[] weight, float[] bias, float[] runningMean, float[] runningVariance,
        int batch, int channels, int plane, bool training, double epsilon, double momentum, bool relu = false)
    {
        float[] output = NaNs(input.Length), savedMean = NaNs(channels), savedInverseStd = NaNs(channels);
        float[] mean = (float[])runningMean.Clone(), variance = (float[])runningVariance.Clone();
        if (training)
        {
            BatchNormalization.ForwardTraining(input, weight, bias, output, mean, variance, savedMean, savedInverseStd, batch, channels, plane, epsilon, momentum, relu);
        }
        else
        {
            BatchNormalization.ForwardEvaluation(input, weight, bias, output, mean, variance, savedMean, savedInverseStd, batch, channels, plane, epsilon, relu);
        }

        return new BatchNormPass(output, savedMean, savedInverseStd, mean, variance);
    }

    /// <summary>The input, weight and bias gradients of <paramref name="pass"/> for the upstream gradient <paramref name="outputGradient"/>.</summary>
    public static LayerGradients Backward(
        BatchNormPass pass, float[] input, float[] weight, float[] outputGradient, int batch, int channels, int plane, bool training)
    {
        float[] inputGradient = NaNs(input.Length), weightGradient = NaNs(channels), biasGradient = NaNs(channels);
        BatchNormalization.Backward(
            input, outputGradient, weight, pass.SavedMean, pass.SavedInverseStd, inputGradient, weightGradient, biasGradient, batch, channels, plane, training);
        return new LayerGradients(inputGradient, weightGradient, biasGradient);
    }

    private static float[] NaNs(int length) => Enumerable.Repeat(float.NaN, length).ToArray();
}
