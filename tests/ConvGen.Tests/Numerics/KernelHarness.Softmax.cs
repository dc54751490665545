using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary>Softmax and log-softmax over dim 1 of <c>(N, C, positions)</c>, allocating, as the other wrappers.</summary>
public static partial class KernelHarness
{
    /// <summary><c>softmax(x, dim=1)</c>, or <c>log_softmax</c> when <paramref name="log"/>.</summary>
    public static float[] SoftmaxForward(float[] input, int batch, int channels, int positions, bool log)
    {
        float[] output = NaNs(input.Length);
        if (log)
        {
            ChannelSoftmax.LogForward(input, output, batch, channels, positions);
        }
        else
        {
            ChannelSoftmax.Forward(input, output, batch, channels, positions);
        }

        return output;
    }

    /// <summary>The input gradient from the forward <paramref name="output"/>; the upstream gradient is left intact.</summary>
    public static float[] SoftmaxBackward(float[] output, float[] outputGradient, int batch, int channels, int positions, bool log)
    {
        float[] gradient = (float[])outputGradient.Clone();
        if (log)
        {
            ChannelSoftmax.LogBackward(output, gradient, batch, channels, positions);
        }
        else
        {
            ChannelSoftmax.Backward(output, gradient, batch, channels, positions);
        }

        return gradient;
    }
}
