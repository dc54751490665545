using System.Numerics;
using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// Batch normalisation over <c>(N, C, H, W)</c>, as <c>torch.nn.BatchNorm2d</c> with <c>affine</c> and
/// <c>track_running_stats</c>: per channel <c>y = (x - mean) / sqrt(var + eps) * weight + bias</c>, with the batch's
/// statistics in training and the running ones in evaluation. Every pass walks one <c>H*W</c> plane at a time with
/// <see cref="TensorPrimitives"/> or <see cref="Vector{T}"/> (scalar where SIMD is off); plane sums add up in double,
/// as PyTorch's CPU kernel accumulates them. Nothing is allocated.
/// </summary>
public static class BatchNorm2d
{
    /// <summary>
    /// Training: normalises with the batch's mean and biased variance over <c>N*H*W</c> values per channel, and moves
    /// the running statistics in place toward the batch's, <c>r = (1 - momentum) * r + momentum * s</c>, where the
    /// variance's <c>s</c> is unbiased (divided by <c>N*H*W - 1</c>). <paramref name="savedMean"/> and
    /// <paramref name="savedInverseStd"/> (<c>1/sqrt(var + eps)</c>) receive what <see cref="Backward"/> needs.
    /// </summary>
    /// <exception cref="ArgumentException">A channel has a single value (<c>N*H*W = 1</c>): its variance is undefined, and PyTorch refuses it too.</exception>
    public static void ForwardTraining(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        Span<float> runningMean, Span<float> runningVariance, Span<float> savedMean, Span<float> savedInverseStd,
        int batch, int channels, int plane, double epsilon, double momentum)
    {
        long count = (long)batch * plane;
        if (count < 2)
        {
            throw new ArgumentException(
                $"BatchNorm2d in training needs more than one value per channel, but a batch of {batch} with {plane} value(s) per plane gives {count}.",
                nameof(batch));
        }

        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
            {
                sum += TensorPrimitives.Sum(Plane(input, n, c, channels, plane));
            }

            float mean = (float)(sum / count);
            // Two passes, deviations first: E[x^2] - E[x]^2 would cancel for inputs far from zero.
            double squares = 0;
            for (int n = 0; n < batch; n++)
            {
                Span<float> deviations = Plane(output, n, c, channels, plane);
                TensorPrimitives.Subtract(Plane(input, n, c, channels, plane), mean, deviations);
                squares += TensorPrimitives.SumOfSquares(deviations);
            }

            double inverseStd = 1 / Math.Sqrt(squares / count + epsilon);
            float scale = (float)(weight[c] * inverseStd);
            for (int n = 0; n < batch; n++)
            {
                Span<float> deviations = Plane(output, n, c, channels, plane);
                ScaleAndShift(deviations, scale, bias[c], deviations);
            }

            savedMean[c] = mean;
            savedInverseStd[c] = (float)inverseStd;
            runningMean[c] = (float)((1 - momentum) * runningMean[c] + momentum * (sum / count));
            runningVariance[c] = (float)((1 - momentum) * runningVariance[c] + momentum * (squares / (count - 1)));
        }
    }

    /// <summary>
    /// Evaluation: normalises with the running statistics, changing nothing but <paramref name="output"/> and the saved
    /// statistics (here the running mean and its <c>1/sqrt(var + eps)</c>), which <see cref="Backward"/> reads.
    /// </summary>
    public static void ForwardEvaluation(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, Span<float> savedMean, Span<float> savedInverseStd,
        int batch, int channels, int plane, double epsilon)
    {
        for (int c = 0; c < channels; c++)
        {
            double inverseStd = 1 / Math.Sqrt(runningVariance[c] + epsilon);
            // y = x * scale + (bias - mean * scale): one fused pass per plane, as PyTorch's evaluation kernel.
            float scale = (float)(weight[c] * inverseStd);
            float shift = (float)(bias[c] - runningMean[c] * (weight[c] * inverseStd));
            for (int n = 0; n < batch; n++)
            {
                ScaleAndShift(Plane(input, n, c, channels, plane), scale, shift, Plane(output, n, c, channels, plane));
            }

            savedMean[c] = runningMean[c];
            savedInverseStd[c] = (float)inverseStd;
        }
    }

    /// <summary>
    /// Gradients of the last forward pass, from its input and saved statistics; overwrites all three.
    /// <c>dWeight = sum(dY * xhat)</c>, <c>dBias = sum(dY)</c> with <c>xhat = (x - mean) * invstd</c>. After a
    /// <paramref name="training"/> pass the mean and variance depend on x too:
    /// <c>dX = weight * invstd * (dY - mean(dY) - xhat * mean(dY * xhat))</c>; after an evaluation pass they are
    /// constants and <c>dX = weight * invstd * dY</c>.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInverseStd,
        Span<float> inputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, int channels, int plane, bool training)
    {
        long count = (long)batch * plane;
        for (int c = 0; c < channels; c++)
        {
            float mean = savedMean[c];
            double gradientSum = 0, gradientDotDeviation = 0;
            for (int n = 0; n < batch; n++)
            {
                // The deviations x - mean go where dX will be: the dot product needs them, and dX is built on them.
                ReadOnlySpan<float> gradient = Plane(outputGradient, n, c, channels, plane);
                Span<float> deviations = Plane(inputGradient, n, c, channels, plane);
                TensorPrimitives.Subtract(Plane(input, n, c, channels, plane), mean, deviations);
                gradientSum += TensorPrimitives.Sum(gradient);
                gradientDotDeviation += TensorPrimitives.Dot(gradient, deviations);
            }

            double inverseStd = savedInverseStd[c];
            weightGradient[c] = (float)(gradientDotDeviation * inverseStd);
            biasGradient[c] = (float)gradientSum;
            double gain = weight[c] * inverseStd;
            // dX = gain * dY + deviationFactor * (x - mean) + offset; the last two vanish when the statistics were constants.
            float deviationFactor = training ? (float)(-gain * inverseStd * inverseStd * gradientDotDeviation / count) : 0f;
            float offset = training ? (float)(-gain * gradientSum / count) : 0f;
            for (int n = 0; n < batch; n++)
            {
                Span<float> result = Plane(inputGradient, n, c, channels, plane);
                ScaleAndShift(result, deviationFactor, offset, result);
                TensorPrimitives.MultiplyAdd(Plane(outputGradient, n, c, channels, plane), (float)gain, result, result);
            }
        }
    }

    // y = x * scale + shift, in place or not; TensorPrimitives has no overload taking two scalars.
    private static void ScaleAndShift(ReadOnlySpan<float> input, float scale, float shift, Span<float> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scales = new Vector<float>(scale);
            var shifts = new Vector<float>(shift);
            for (; i <= input.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(input[i..]) * scales + shifts).CopyTo(output[i..]);
            }
        }

        for (; i < input.Length; i++)
        {
            output[i] = input[i] * scale + shift;
        }
    }

    private static ReadOnlySpan<float> Plane(ReadOnlySpan<float> tensor, int n, int c, int channels, int plane) =>
        tensor.Slice((n * channels + c) * plane, plane);

    private static Span<float> Plane(Span<float> tensor, int n, int c, int channels, int plane) =>
        tensor.Slice((n * channels + c) * plane, plane);
}
