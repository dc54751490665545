namespace ConvGen.Kernels;

/// <summary>
/// Cross-entropy over raw logits <c>(N, classes)</c> with class-index targets <c>(N)</c>, as <c>torch.nn.CrossEntropyLoss</c>:
/// <c>loss_n = logsumexp(z_n) - z_n[y_n]</c>, reduced by mean (the default), sum or not at all.
/// </summary>
public static class CrossEntropy
{
    private const string Name = "CrossEntropy";

    /// <summary>
    /// Returns the reduced loss and writes its gradient <c>(softmax(z) - onehot(y)) * w</c> into <paramref name="logitGradient"/>,
    /// <c>w = 1/N</c> for the mean, 1 for the sum, <paramref name="outputGradient"/><c>[n]</c> for <see cref="Reduction.None"/>,
    /// which also writes each sample's loss into <paramref name="losses"/> and returns their sum.
    /// </summary>
    public static float LossAndGradient(
        ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> logitGradient, int batch, int classes,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<float> outputGradient = default, Span<float> losses = default) =>
        ClassIndexLoss.Run<Terms>(Name, logits, labels, logitGradient, batch, classes, reduction, outputGradient, losses, withGradient: true);

    /// <summary>The reduced loss alone, for evaluation; <see cref="Reduction.None"/> writes each sample's into <paramref name="losses"/>.</summary>
    public static float Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int batch, int classes, Reduction reduction = Reduction.Mean, Span<float> losses = default) =>
        ClassIndexLoss.Run<Terms>(Name, logits, labels, default, batch, classes, reduction, default, losses, withGradient: false);

    private readonly struct Terms : IClassIndexLoss
    {
        public static double Loss(ReadOnlySpan<float> row, int label)
        {
            float max = Max(row);
            double sum = 0;
            foreach (float z in row)
            {
                sum += MathF.Exp(z - max);
            }

            return Math.Log(sum) + max - row[label];
        }

        public static double LossAndGradient(ReadOnlySpan<float> row, int label, float weight, Span<float> gradient)
        {
            float max = Max(row);
            double sum = 0;
            for (int c = 0; c < row.Length; c++)
            {
                float e = MathF.Exp(row[c] - max);
                gradient[c] = e;
                sum += e;
            }

            float softmaxScale = (float)(1.0 / sum) * weight;
            for (int c = 0; c < row.Length; c++)
            {
                gradient[c] *= softmaxScale;
            }

            gradient[label] -= weight;
            return Math.Log(sum) + max - row[label];
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
    }
}
