namespace ConvGen.Kernels;

/// <summary>
/// Mean squared error, as <c>torch.nn.MSELoss</c>: <c>loss_i = (x_i - y_i)^2</c> element by element over input and
/// target of the same (any) shape, reduced by mean (the default), sum or not at all.
/// </summary>
public static class MseLoss
{
    private const string Name = "MseLoss";

    /// <summary>
    /// Returns the reduced loss and writes its gradient <c>2 (x - y) * w</c> into <paramref name="inputGradient"/>, <c>w = 1/count</c>
    /// for the mean, 1 for the sum, <paramref name="outputGradient"/><c>[i]</c> for <see cref="Reduction.None"/>, which also writes
    /// each element's loss into <paramref name="losses"/> and returns their sum.
    /// </summary>
    public static float LossAndGradient(
        ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> inputGradient,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<float> outputGradient = default, Span<float> losses = default) =>
        PointwiseLoss.Run<Terms>(Name, input, target, inputGradient, reduction, outputGradient, losses, withGradient: true);

    /// <summary>The reduced loss alone; <see cref="Reduction.None"/> writes each element's into <paramref name="losses"/>.</summary>
    public static float Loss(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Reduction reduction = Reduction.Mean, Span<float> losses = default) =>
        PointwiseLoss.Run<Terms>(Name, input, target, default, reduction, default, losses, withGradient: false);

    private readonly struct Terms : IPointwiseLoss
    {
        public static double Loss(float input, float target)
        {
            double difference = (double)input - target;
            return difference * difference;
        }

        public static float Gradient(float input, float target) => 2f * (input - target);
    }
}
