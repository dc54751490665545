using System.Collections.Immutable;

namespace ConvGen.Training;

/// <summary>
/// <c>SequentialLR</c>: <paramref name="Parts"/> one after another, part <c>i + 1</c> taking over at milestone <c>i</c> and
/// starting from its own step 0 there (a warm-up then a cosine, say). The parts' own intervals are ignored: the sequence's
/// <see cref="LearningRateSchedule.Interval"/> steps them all.
/// </summary>
/// <param name="Parts">The schedules, one more than the milestones.</param>
/// <param name="Milestones">The step indices, in increasing order, at which the next part takes over.</param>
public sealed record SequentialSchedule(ImmutableArray<LearningRateSchedule> Parts, ImmutableArray<int> Milestones) : LearningRateSchedule
{
    /// <summary><paramref name="warmup"/> for its steps, then <paramref name="after"/> from its own step 0.</summary>
    public static SequentialSchedule WarmupThen(LinearRamp warmup, LearningRateSchedule after)
    {
        ArgumentNullException.ThrowIfNull(warmup);
        return new([warmup, after], [warmup.Steps]);
    }

    /// <inheritdoc/>
    public override double RateAt(int step, double baseRate)
    {
        // PyTorch's bisect_right: the part is the number of milestones at or before the step.
        int part = 0;
        while (part < Milestones.Length && Milestones[part] <= step)
        {
            part++;
        }

        return Parts[part].RateAt(part == 0 ? step : step - Milestones[part - 1], baseRate);
    }

    /// <inheritdoc/>
    public override string? Validate() =>
        Parts.IsDefaultOrEmpty || Milestones.IsDefault ? "SequentialSchedule: needs at least one part and its milestones."
        : Parts.Length != Milestones.Length + 1 ? $"SequentialSchedule: {Parts.Length} parts need {Parts.Length - 1} milestones, got {Milestones.Length}."
        : Milestones.Any(milestone => milestone < 1) ? "SequentialSchedule: milestones must be at least 1."
        : !InOrder(Milestones, strictly: true) ? "SequentialSchedule: milestones must be strictly increasing."
        : Parts.Select(part => part?.Validate() ?? (part is null ? "SequentialSchedule: a part is missing." : null)).FirstOrDefault(problem => problem is not null);

    /// <inheritdoc/>
    public override string? CheckLength(int lastStep)
    {
        for (int part = 0; part < Parts.Length; part++)
        {
            int start = part == 0 ? 0 : Milestones[part - 1];
            int end = part < Milestones.Length ? Math.Min(lastStep, Milestones[part] - 1) : lastStep;
            if (end >= start && Parts[part].CheckLength(end - start) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
