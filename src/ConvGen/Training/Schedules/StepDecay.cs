namespace ConvGen.Training;

/// <summary><c>StepLR</c>: the base rate times <paramref name="Gamma"/> every <paramref name="StepSize"/> steps.</summary>
/// <param name="StepSize">Steps between decays.</param>
/// <param name="Gamma">The factor of each decay (PyTorch's default 0.1).</param>
public sealed record StepDecay(int StepSize, double Gamma = 0.1) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double RateAt(int step, double baseRate) => baseRate * Math.Pow(Gamma, step / StepSize);

    /// <inheritdoc/>
    public override string? Validate() => AtLeastOne("StepDecay: the step size", StepSize) ?? Positive("StepDecay: gamma", Gamma);
}
