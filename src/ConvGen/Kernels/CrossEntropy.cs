namespace ConvGen.Kernels;

/// <summary>
/// Cross-entropy over raw logits with class-index targets and mean reduction, as <c>torch.nn.CrossEntropyLoss()</c>:
/// <c>loss = mean_n(logsumexp(z_n) - z_n[y_n])</c>.
/// </summary>
public static class CrossEntropy
{
    /// <summary>
    /// Returns the mean loss over the batch and writes <c>dL/dz = (softmax(z) - onehot(y)) / N</c> into <paramref name="logitGradient"/>.
    /// </summary>
    public static float LossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> logitGradient, int batch, int classes)
    {
        double total = 0;
        float scale = 1f / batch;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> row = logits.Slice(n * classes, classes);
            int label = CheckedLabel(labels, n, classes);
            float max = Max(row);
            Span<float> gradient = logitGradient.Slice(n * classes, classes);
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                float e = MathF.Exp(row[c] - max);
                gradient[c] = e;
                sum += e;
            }

            float softmaxScale = (float)(1.0 / sum) * scale;
            for (int c = 0; c < classes; c++)
            {
                gradient[c] *= softmaxScale;
            }

            gradient[label] -= scale;
            total += Math.Log(sum) + max - row[label];
        }

        return (float)(total / batch);
    }

    /// <summary>The mean loss alone, for evaluation.</summary>
    public static float Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int batch, int classes)
    {
        double total = 0;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> row = logits.Slice(n * classes, classes);
            int label = CheckedLabel(labels, n, classes);
            float max = Max(row);
            double sum = 0;
            foreach (float z in row)
            {
                sum += MathF.Exp(z - max);
            }

            total += Math.Log(sum) + max - row[label];
        }

        return (float)(total / batch);
    }

    // Subtracting the row maximum keeps exp from overflowing; the result is the same.
    private static float Max(ReadOnlySpan<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float z in row)
        {
            max = MathF.Max(max, z);
        }

        return max;
    }

    private static int CheckedLabel(ReadOnlySpan<int> labels, int sample, int classes)
    {
        int label = labels[sample];
        if ((uint)label >= (uint)classes)
        {
            throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {label} of sample {sample} is outside the {classes} classes 0..{classes - 1}.");
        }

        return label;
    }
}
