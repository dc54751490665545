namespace ConvGen.Kernels;

/// <summary>
/// Negative log-likelihood over log-probabilities <c>(N, classes)</c> (a LogSoftmax output) with class-index targets
/// <c>(N)</c>, as <c>torch.nn.NLLLoss</c>: <c>loss_n = -x_n[y_n]</c>, reduced by mean (the default), sum or not at all.
/// NLL of <c>log_softmax(z)</c> is <see cref="CrossEntropy"/> of <c>z</c>.
/// </summary>
public static class NllLoss
{
    private const string Name = "NllLoss";

    /// <summary>
    /// Returns the reduced loss and writes its gradient into <paramref name="inputGradient"/>: <c>-w</c> at each target,
    /// 0 elsewhere, with <c>w</c> as in <see cref="CrossEntropy.LossAndGradient"/>.
    /// </summary>
    public static float LossAndGradient(
        ReadOnlySpan<float> logProbabilities, ReadOnlySpan<int> labels, Span<float> inputGradient, int batch, int classes,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<float> outputGradient = default, Span<float> losses = default) =>
        ClassIndexLoss.Run<Terms>(Name, logProbabilities, labels, inputGradient, batch, classes, reduction, outputGradient, losses, withGradient: true);

    /// <summary>The reduced loss alone; <see cref="Reduction.None"/> writes each sample's into <paramref name="losses"/>.</summary>
    public static float Loss(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<int> labels, int batch, int classes, Reduction reduction = Reduction.Mean, Span<float> losses = default) =>
        ClassIndexLoss.Run<Terms>(Name, logProbabilities, labels, default, batch, classes, reduction, default, losses, withGradient: false);

    private readonly struct Terms : IClassIndexLoss
    {
        public static double Loss(ReadOnlySpan<float> row, int label) => -row[label];

        public static double LossAndGradient(ReadOnlySpan<float> row, int label, float weight, Span<float> gradient)
        {
            gradient.Clear();
            gradient[label] = -weight;
            return -row[label];
        }
    }
}
