namespace ConvGen.Kernels;

/// <summary>
/// Batch normalisation over <c>(N, C, H, W)</c>, as <c>torch.nn.BatchNorm2d</c> with <c>affine</c> and
/// <c>track_running_stats</c>: per channel <c>y = (x - mean) / sqrt(var + eps) * weight + bias</c>, with the batch's
/// statistics in training and the running ones in evaluation. Every pass walks one <c>H*W</c> plane at a time with the
/// fused, vectorised loops of <see cref="BatchNormPlanes"/>; sums add up in double, as PyTorch's CPU kernel accumulates
/// them. Training reads the input three times (mean, variance, output), the backward pass twice. Nothing is allocated.
/// </summary>
public static class BatchNormalization
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
                sum += BatchNormPlanes.Sum(Plane(input, n, c, channels, plane));
            }

            float mean = (float)(sum / count);
            // Two passes, deviations second: E[x^2] - E[x]^2 would cancel for inputs far from zero.
            double squares = 0;
            for (int n = 0; n < batch; n++)
            {
                squares += BatchNormPlanes.SquaredDeviations(Plane(input, n, c, channels, plane), mean);
            }

            double inverseStd = 1 / Math.Sqrt(squares / count + epsilon);
            Normalise(input, output, c, channels, plane, batch, mean, inverseStd, weight[c], bias[c]);
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
            Normalise(input, output, c, channels, plane, batch, runningMean[c], inverseStd, weight[c], bias[c]);
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
                (double sum, double dot) = BatchNormPlanes.GradientSums(Plane(outputGradient, n, c, channels, plane), Plane(input, n, c, channels, plane), mean);
                gradientSum += sum;
                gradientDotDeviation += dot;
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
                BatchNormPlanes.InputGradient(
                    Plane(outputGradient, n, c, channels, plane), Plane(input, n, c, channels, plane), mean, (float)gain, deviationFactor, offset,
                    Plane(inputGradient, n, c, channels, plane));
            }
        }
    }

    // y = (x - mean) * invstd * weight + bias as one multiply-add per value: x * scale + (bias - mean * scale), as PyTorch.
    private static void Normalise(
        ReadOnlySpan<float> input, Span<float> output, int c, int channels, int plane, int batch, float mean, double inverseStd, float weight, float bias)
    {
        double scale = weight * inverseStd;
        for (int n = 0; n < batch; n++)
        {
            BatchNormPlanes.ScaleAndShift(Plane(input, n, c, channels, plane), (float)scale, (float)(bias - mean * scale), Plane(output, n, c, channels, plane));
        }
    }

    private static ReadOnlySpan<float> Plane(ReadOnlySpan<float> tensor, int n, int c, int channels, int plane) =>
        tensor.Slice((n * channels + c) * plane, plane);

    private static Span<float> Plane(Span<float> tensor, int n, int c, int channels, int plane) =>
        tensor.Slice((n * channels + c) * plane, plane);
}
