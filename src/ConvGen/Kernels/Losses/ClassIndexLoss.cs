namespace ConvGen.Kernels;

/// <summary>One sample's loss over a row of class scores with a class-index target, for <see cref="ClassIndexLoss"/>.</summary>
internal interface IClassIndexLoss
{
    /// <summary>The loss of one row.</summary>
    static abstract double Loss(ReadOnlySpan<float> row, int label);

    /// <summary>The loss of one row; writes <c>weight * dl/d(row)</c> into <paramref name="gradient"/>.</summary>
    static abstract double LossAndGradient(ReadOnlySpan<float> row, int label, float weight, Span<float> gradient);
}

/// <summary>
/// The shared driver of the class-index losses (cross-entropy, NLL): input <c>(N, classes)</c>, targets <c>(N)</c>
/// holding class indices, every sample one term of the <see cref="Reduction"/>.
/// </summary>
internal static class ClassIndexLoss
{
    /// <summary>
    /// The loss of <paramref name="input"/> for <paramref name="labels"/>; with <paramref name="withGradient"/> also
    /// <c>d(result)/d(input)</c> into <paramref name="inputGradient"/> (for <see cref="Reduction.None"/>, of
    /// <c>sum_n outputGradient_n * loss_n</c>).
    /// </summary>
    public static float Run<TLoss>(
        string name, ReadOnlySpan<float> input, ReadOnlySpan<int> labels, Span<float> inputGradient, int batch, int classes,
        Reduction reduction, ReadOnlySpan<float> outputGradient, Span<float> losses, bool withGradient)
        where TLoss : IClassIndexLoss
    {
        using var timing = KernelProfiler.Time(name, withGradient ? "{0} x {1} classes, with gradient" : "{0} x {1} classes", batch, classes);
        long values = (long)batch * classes;
        if (batch < 0 || classes < 1 || input.Length < values || labels.Length < batch || (withGradient && inputGradient.Length < values))
        {
            throw new ArgumentException(
                $"{name}: {batch} samples of {classes} classes do not fit an input of {input.Length} values, {labels.Length} targets " +
                $"and {(withGradient ? inputGradient.Length : "no")} gradient values.");
        }

        var reduce = new LossReduction(name, reduction, batch, losses, outputGradient, withGradient);
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> row = input.Slice(n * classes, classes);
            int label = CheckedLabel(name, labels, n, classes);
            reduce.Add(n, withGradient
                ? TLoss.LossAndGradient(row, label, reduce.GradientWeight(n), inputGradient.Slice(n * classes, classes))
                : TLoss.Loss(row, label));
        }

        return reduce.Result;
    }

    private static int CheckedLabel(string name, ReadOnlySpan<int> labels, int sample, int classes)
    {
        int label = labels[sample];
        if ((uint)label >= (uint)classes)
        {
            throw new ArgumentOutOfRangeException(nameof(labels), label, $"{name}: label {label} of sample {sample} is outside the {classes} classes 0..{classes - 1}.");
        }

        return label;
    }
}
