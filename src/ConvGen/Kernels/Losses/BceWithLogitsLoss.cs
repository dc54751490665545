namespace ConvGen.Kernels;

/// <summary>
/// Binary cross-entropy on logits, as <c>torch.nn.BCEWithLogitsLoss</c> (without <c>pos_weight</c>): the sigmoid and the
/// log in one stable form, <c>loss_i = max(x, 0) - x y + log(1 + e^-|x|)</c>, element by element over input and target of
/// the same (any) shape, reduced by mean (the default), sum or not at all. Targets may be soft (any value in [0, 1]).
/// </summary>
public static class BceWithLogitsLoss
{
    private const string Name = "BceWithLogitsLoss";

    /// <summary>
    /// Returns the reduced loss and writes its gradient <c>(sigmoid(x) - y) * w</c> into <paramref name="inputGradient"/>,
    /// with <c>w</c> as in <see cref="MseLoss.LossAndGradient"/>.
    /// </summary>
    public static float LossAndGradient(
        ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Span<float> inputGradient,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<float> outputGradient = default, Span<float> losses = default) =>
        PointwiseLoss.Run<Terms>(Name, logits, target, inputGradient, reduction, outputGradient, losses, withGradient: true);

    /// <summary>The reduced loss alone; <see cref="Reduction.None"/> writes each element's into <paramref name="losses"/>.</summary>
    public static float Loss(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Reduction reduction = Reduction.Mean, Span<float> losses = default) =>
        PointwiseLoss.Run<Terms>(Name, logits, target, default, reduction, default, losses, withGradient: false);

    private readonly struct Terms : IPointwiseLoss
    {
        // e^-|x| never overflows, and log(1 + e^-|x|) stays finite where log(sigmoid(x)) would reach log(0).
        public static double Loss(float input, float target) =>
            Math.Max(input, 0.0) - (double)input * target + Math.Log(1.0 + Math.Exp(-Math.Abs((double)input)));

        public static float Gradient(float input, float target) => (float)(Sigmoid(input) - target);

        private static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));
    }
}
