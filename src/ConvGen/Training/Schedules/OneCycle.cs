namespace ConvGen.Training;

/// <summary>How <see cref="OneCycle"/> moves between two rates within a phase: PyTorch's <c>anneal_strategy</c>.</summary>
public enum Annealing
{
    /// <summary>Half a cosine (<c>'cos'</c>, the default).</summary>
    Cosine,

    /// <summary>A straight line (<c>'linear'</c>).</summary>
    Linear,
}

/// <summary>
/// <c>OneCycleLR</c>, stepped per batch by default: from <c>MaxRate / DivFactor</c> up to <paramref name="MaxRate"/> over the
/// first <paramref name="PercentStart"/> of <paramref name="TotalSteps"/>, then down to <c>MaxRate / DivFactor / FinalDivFactor</c>;
/// with <paramref name="ThreePhase"/>, back down to the starting rate symmetrically first, then to the minimum. The optimizer's
/// own rate is ignored, as in PyTorch. Momentum is not cycled (PyTorch's <c>cycle_momentum</c>).
/// </summary>
/// <param name="MaxRate">The peak rate.</param>
/// <param name="TotalSteps">Steps in the cycle: the run's epochs times its steps per epoch, for a per-batch schedule.</param>
/// <param name="PercentStart">Share of the cycle spent rising.</param>
/// <param name="Strategy">Cosine or linear annealing.</param>
/// <param name="DivFactor">The starting rate is <c>MaxRate / DivFactor</c>.</param>
/// <param name="FinalDivFactor">The final rate is the starting rate over this.</param>
/// <param name="ThreePhase">Whether to go back down to the starting rate before annealing to the final one.</param>
public sealed record OneCycle(
    double MaxRate,
    int TotalSteps,
    double PercentStart = 0.3,
    Annealing Strategy = Annealing.Cosine,
    double DivFactor = 25,
    double FinalDivFactor = 1e4,
    bool ThreePhase = false) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override ScheduleInterval Interval { get; init; } = ScheduleInterval.Batch;

    /// <inheritdoc/>
    public override double RateAt(int step, double baseRate)
    {
        double initial = MaxRate / DivFactor, minimum = initial / FinalDivFactor;
        // PyTorch's phase ends, as floats: the rise ends at pct * total - 1 and the cycle at total - 1.
        double riseEnd = (PercentStart * TotalSteps) - 1;
        if (ThreePhase)
        {
            double fallEnd = (2 * PercentStart * TotalSteps) - 2;
            return step <= riseEnd ? Anneal(initial, MaxRate, step / riseEnd)
                : step <= fallEnd ? Anneal(MaxRate, initial, (step - riseEnd) / (fallEnd - riseEnd))
                : Anneal(initial, minimum, (step - fallEnd) / (TotalSteps - 1 - fallEnd));
        }

        return step <= riseEnd ? Anneal(initial, MaxRate, step / riseEnd) : Anneal(MaxRate, minimum, (step - riseEnd) / (TotalSteps - 1 - riseEnd));
    }

    /// <inheritdoc/>
    public override string? Validate() =>
        Positive("OneCycle: the maximum rate", MaxRate)
        ?? AtLeastOne("OneCycle: the total number of steps", TotalSteps)
        ?? (PercentStart is >= 0 and <= 1 ? null : $"OneCycle: the start percentage must be in [0, 1], got {PercentStart}.")
        ?? Positive("OneCycle: the div factor", DivFactor)
        ?? Positive("OneCycle: the final div factor", FinalDivFactor);

    /// <inheritdoc/>
    public override string? CheckLength(int lastStep) =>
        lastStep < TotalSteps ? null
        : $"OneCycle: the run takes {lastStep + 1} scheduled steps but the cycle has {TotalSteps}; set TotalSteps to the epochs times the steps per epoch.";

    private double Anneal(double start, double end, double fraction) =>
        Strategy == Annealing.Cosine ? end + ((start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1)) : ((end - start) * fraction) + start;
}
