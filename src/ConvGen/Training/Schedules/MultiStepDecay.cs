using System.Collections.Immutable;

namespace ConvGen.Training;

/// <summary>
/// <c>MultiStepLR</c>: the base rate times <paramref name="Gamma"/> once for each milestone reached (a milestone listed
/// twice decays twice, as PyTorch's counter does).
/// </summary>
/// <param name="Milestones">Step indices, in order, at which the rate decays.</param>
/// <param name="Gamma">The factor of each decay (PyTorch's default 0.1).</param>
public sealed record MultiStepDecay(ImmutableArray<int> Milestones, double Gamma = 0.1) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double RateAt(int step, double baseRate)
    {
        int reached = 0;
        foreach (int milestone in Milestones)
        {
            reached += milestone <= step ? 1 : 0;
        }

        return baseRate * Math.Pow(Gamma, reached);
    }

    /// <inheritdoc/>
    public override string? Validate() =>
        Milestones.IsDefault ? "MultiStepDecay: the milestones are missing."
        : Milestones.Any(milestone => milestone < 0) ? "MultiStepDecay: milestones must be at least 0."
        : !InOrder(Milestones, strictly: false) ? "MultiStepDecay: milestones must be in increasing order."
        : Positive("MultiStepDecay: gamma", Gamma);
}
