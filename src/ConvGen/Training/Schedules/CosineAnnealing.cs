namespace ConvGen.Training;

/// <summary>
/// <c>CosineAnnealingLR</c>: half a cosine from the base rate down to <paramref name="MinimumRate"/> over
/// <paramref name="Period"/> steps; past the period it rises again, as PyTorch's does.
/// </summary>
/// <param name="Period">PyTorch's <c>T_max</c>: steps from the base rate to the minimum.</param>
/// <param name="MinimumRate">PyTorch's <c>eta_min</c>.</param>
public sealed record CosineAnnealing(int Period, double MinimumRate = 0) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double RateAt(int step, double baseRate) =>
        MinimumRate + ((baseRate - MinimumRate) * (1 + Math.Cos(Math.PI * step / Period)) / 2);

    /// <inheritdoc/>
    public override string? Validate() =>
        AtLeastOne("CosineAnnealing: the period", Period)
        ?? (double.IsFinite(MinimumRate) && MinimumRate >= 0 ? null : $"CosineAnnealing: the minimum rate must be at least 0, got {MinimumRate}.");
}
