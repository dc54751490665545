using System.Collections.Immutable;

namespace ConvGen.Training;

/// <summary>When a schedule advances: once per epoch (PyTorch's usual <c>scheduler.step()</c> after an epoch) or once per batch.</summary>
public enum ScheduleInterval
{
    /// <summary>Every step of epoch <c>e</c> (counted from 0) uses the rate at index <c>e</c>.</summary>
    Epoch,

    /// <summary>Step <c>s</c> of the run (counted from 0 across epochs) uses the rate at index <c>s</c>.</summary>
    Batch,
}

/// <summary>
/// A learning-rate schedule as <c>torch.optim.lr_scheduler</c> defines it, as an immutable value: a pure function from the
/// schedule's step index (0 before the first <c>scheduler.step()</c>) and the optimizer's base rate to the rate to use.
/// Closed forms give PyTorch's recursive values within rounding.
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>Whether the index advances per epoch (the default) or per batch (<see cref="OneCycle"/>'s default).</summary>
    public virtual ScheduleInterval Interval { get; init; } = ScheduleInterval.Epoch;

    /// <summary>The rate at <paramref name="step"/> (at least 0) for an optimizer whose own rate is <paramref name="baseRate"/>.</summary>
    public abstract double RateAt(int step, double baseRate);

    /// <summary>Why these settings cannot schedule, or null when they can.</summary>
    public abstract string? Validate();

    /// <summary>Why the schedule cannot give rates for indices 0 to <paramref name="lastStep"/>, or null when it can.</summary>
    public virtual string? CheckLength(int lastStep) => null;

    /// <summary>Rate given to the optimizer: the schedule's rate at the index of the run's step.</summary>
    internal float RateFor(int epochIndex, int runStep, float baseRate) =>
        (float)RateAt(Interval == ScheduleInterval.Epoch ? epochIndex : runStep, baseRate);

    /// <summary>The last index a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps reads.</summary>
    internal int LastIndex(int epochs, int stepsPerEpoch) =>
        Interval == ScheduleInterval.Epoch ? epochs - 1 : (epochs * stepsPerEpoch) - 1;

    /// <summary>Why <paramref name="value"/> is not a positive finite number, or null when it is.</summary>
    private protected static string? Positive(string name, double value) =>
        double.IsFinite(value) && value > 0 ? null : $"{name} must be a positive number, got {value}.";

    /// <summary>Whether each value is at least (or, <paramref name="strictly"/>, above) the one before.</summary>
    private protected static bool InOrder(ImmutableArray<int> values, bool strictly)
    {
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] < values[i - 1] || (strictly && values[i] == values[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why <paramref name="value"/> is below 1, or null when it is not.</summary>
    private protected static string? AtLeastOne(string name, int value) =>
        value >= 1 ? null : $"{name} must be at least 1, got {value}.";
}
