using System.Globalization;

namespace ConvGen.Kernels;

/// <summary>
/// Binary cross-entropy on probabilities (a Sigmoid output), as <c>torch.nn.BCELoss</c>:
/// <c>loss_i = -(y log x + (1 - y) log(1 - x))</c> with each log clamped at -100 as PyTorch does, so a probability of
/// exactly 0 or 1 gives a loss of at most 100, not infinity. Element by element over input and target of the same (any)
/// shape, reduced by mean (the default), sum or not at all. Inputs outside [0, 1] are refused, as PyTorch refuses them.
/// Prefer <see cref="BceWithLogitsLoss"/> on the logits: it is the same loss without the clamps.
/// </summary>
public static class BceLoss
{
    private const string Name = "BceLoss";

    /// <summary>
    /// Returns the reduced loss and writes its gradient <c>(x - y) / max(x (1 - x), 1e-12) * w</c> (PyTorch's guard against
    /// dividing by zero) into <paramref name="inputGradient"/>, with <c>w</c> as in <see cref="MseLoss.LossAndGradient"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or NaN.</exception>
    public static float LossAndGradient(
        ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target, Span<float> inputGradient,
        Reduction reduction = Reduction.Mean, ReadOnlySpan<float> outputGradient = default, Span<float> losses = default) =>
        PointwiseLoss.Run<Terms>(Name, CheckedProbabilities(probabilities), target, inputGradient, reduction, outputGradient, losses, withGradient: true);

    /// <summary>The reduced loss alone; <see cref="Reduction.None"/> writes each element's into <paramref name="losses"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1] or NaN.</exception>
    public static float Loss(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target, Reduction reduction = Reduction.Mean, Span<float> losses = default) =>
        PointwiseLoss.Run<Terms>(Name, CheckedProbabilities(probabilities), target, default, reduction, default, losses, withGradient: false);

    private static ReadOnlySpan<float> CheckedProbabilities(ReadOnlySpan<float> probabilities)
    {
        for (int i = 0; i < probabilities.Length; i++)
        {
            float p = probabilities[i];
            if (!(p >= 0f && p <= 1f))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(probabilities), p,
                    string.Create(CultureInfo.InvariantCulture, $"{Name}: input {i} is {p}, not a probability in [0, 1]; pass logits to BceWithLogitsLoss instead."));
            }
        }

        return probabilities;
    }

    private readonly struct Terms : IPointwiseLoss
    {
        private const double LogFloor = -100;

        // 1 - x is exact in double for a float x, so log(1 - x) keeps its precision near x = 1.
        public static double Loss(float input, float target) =>
            -(target * Math.Max(Math.Log(input), LogFloor) + (1.0 - target) * Math.Max(Math.Log(1.0 - input), LogFloor));

        public static float Gradient(float input, float target) => (input - target) / MathF.Max((1f - input) * input, 1e-12f);
    }
}
