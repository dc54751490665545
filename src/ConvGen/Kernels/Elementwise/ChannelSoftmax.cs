namespace ConvGen.Kernels;

/// <summary>
/// Softmax and log-softmax over dim 1, as <c>torch.nn.Softmax(dim=1)</c> and <c>torch.nn.LogSoftmax(dim=1)</c>: over the
/// features of a flat <c>(N, C)</c> batch, or over the channels of <c>(N, C, positions)</c> at each position (a position is
/// one pixel of <c>H x W</c> planes or one step of a sequence). Shapes pass through unchanged; no allocation.
/// </summary>
/// <remarks>
/// Channel <c>c</c> of position <c>p</c> in sample <c>n</c> sits at <c>(n * channels + c) * positions + p</c>, so a flat
/// batch is the case <c>positions = 1</c>. Every exponent has the maximum over the channels subtracted first, so no
/// input overflows <c>exp</c>; sums run in double.
/// </remarks>
public static class ChannelSoftmax
{
    /// <summary><c>y_c = e^(x_c - m) / sum_k e^(x_k - m)</c>, with <c>m</c> the maximum over the channels.</summary>
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, int channels, int positions)
    {
        using var timing = KernelProfiler.Time("ChannelSoftmax.Forward", "{0} x {1} channels x {2} positions", batch, channels, positions);
        Normalize(input, output, batch, channels, positions, log: false);
    }

    /// <summary>
    /// In place from the forward output y: <c>dX_c = y_c * (dY_c - sum_k dY_k * y_k)</c>, the softmax Jacobian
    /// <c>diag(y) - y y^T</c> applied to dY.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> output, Span<float> gradient, int batch, int channels, int positions)
    {
        using var timing = KernelProfiler.Time("ChannelSoftmax.Backward", "{0} x {1} channels x {2} positions", batch, channels, positions);
        Backpropagate(output, gradient, batch, channels, positions, log: false);
    }

    /// <summary><c>y_c = x_c - m - log(sum_k e^(x_k - m))</c>, with <c>m</c> the maximum over the channels.</summary>
    public static void LogForward(ReadOnlySpan<float> input, Span<float> output, int batch, int channels, int positions)
    {
        using var timing = KernelProfiler.Time("ChannelSoftmax.LogForward", "{0} x {1} channels x {2} positions", batch, channels, positions);
        Normalize(input, output, batch, channels, positions, log: true);
    }

    /// <summary>In place from the forward output y: <c>dX_c = dY_c - e^(y_c) * sum_k dY_k</c> (<c>e^y</c> is the softmax).</summary>
    public static void LogBackward(ReadOnlySpan<float> output, Span<float> gradient, int batch, int channels, int positions)
    {
        using var timing = KernelProfiler.Time("ChannelSoftmax.LogBackward", "{0} x {1} channels x {2} positions", batch, channels, positions);
        Backpropagate(output, gradient, batch, channels, positions, log: true);
    }

    // One pass for both forwards: the shifted exponentials' sum at each position, then softmax or log-softmax from it.
    private static void Normalize(ReadOnlySpan<float> input, Span<float> output, int batch, int channels, int positions, bool log)
    {
        Check(input.Length, output.Length, batch, channels, positions);
        for (int n = 0; n < batch; n++)
        {
            for (int p = 0; p < positions; p++)
            {
                int first = n * channels * positions + p;
                float max = Max(input, first, channels, positions);
                double sum = 0;
                for (int c = 0, i = first; c < channels; c++, i += positions)
                {
                    sum += MathF.Exp(input[i] - max);
                }

                float logSum = (float)Math.Log(sum), scale = (float)(1.0 / sum);
                for (int c = 0, i = first; c < channels; c++, i += positions)
                {
                    output[i] = log ? input[i] - max - logSum : MathF.Exp(input[i] - max) * scale;
                }
            }
        }
    }

    // One pass for both backwards: softmax needs sum_k dY_k * y_k at each position, log-softmax sum_k dY_k.
    private static void Backpropagate(ReadOnlySpan<float> output, Span<float> gradient, int batch, int channels, int positions, bool log)
    {
        Check(output.Length, gradient.Length, batch, channels, positions);
        for (int n = 0; n < batch; n++)
        {
            for (int p = 0; p < positions; p++)
            {
                int first = n * channels * positions + p;
                double sum = 0;
                for (int c = 0, i = first; c < channels; c++, i += positions)
                {
                    sum += log ? gradient[i] : (double)gradient[i] * output[i];
                }

                float total = (float)sum;
                for (int c = 0, i = first; c < channels; c++, i += positions)
                {
                    gradient[i] = log ? gradient[i] - MathF.Exp(output[i]) * total : output[i] * (gradient[i] - total);
                }
            }
        }
    }

    private static float Max(ReadOnlySpan<float> input, int first, int channels, int positions)
    {
        float max = float.NegativeInfinity;
        for (int c = 0, i = first; c < channels; c++, i += positions)
        {
            max = MathF.Max(max, input[i]);
        }

        return max;
    }

    // One check for every pass: both spans must hold the whole batch.
    private static void Check(int sourceLength, int targetLength, int batch, int channels, int positions)
    {
        long values = (long)batch * channels * positions;
        if (batch < 0 || channels < 1 || positions < 1 || sourceLength < values || targetLength < values)
        {
            throw new ArgumentException(
                $"Softmax over {batch} samples of {channels} channels x {positions} positions needs {values} values in each span, but they hold {sourceLength} and {targetLength}.");
        }
    }
}
