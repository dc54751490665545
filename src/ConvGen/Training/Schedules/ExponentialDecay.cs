namespace ConvGen.Training;

/// <summary><c>ExponentialLR</c>: the base rate times <paramref name="Gamma"/> to the power of the step.</summary>
/// <param name="Gamma">The factor per step.</param>
public sealed record ExponentialDecay(double Gamma) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double RateAt(int step, double baseRate) => baseRate * Math.Pow(Gamma, step);

    /// <inheritdoc/>
    public override string? Validate() => Positive("ExponentialDecay: gamma", Gamma);
}
