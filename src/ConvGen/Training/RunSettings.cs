using System.Collections;
using System.Globalization;
using System.Reflection;

namespace ConvGen.Training;

/// <summary>
/// The settings that decide a run's path, as invariant text: what a resumed run must share with the run that wrote
/// its checkpoint to continue it bit for bit. The epoch count, patience, prefetching and hooks are not among them:
/// changing them changes when a run stops or how it is observed, never a step.
/// </summary>
/// <param name="Seed">Decides the data order and the dropout masks.</param>
/// <param name="BatchSize">Samples per step, after capping at the training set's size.</param>
/// <param name="DropLast">Whether an epoch's last partial batch is skipped.</param>
/// <param name="Loss">The training loss.</param>
/// <param name="L2Penalty">The explicit L2 penalty, round-trip text.</param>
/// <param name="Optimizer">The update rule and its hyperparameters.</param>
/// <param name="Schedule">The learning-rate schedule and its settings, or <c>none</c>.</param>
/// <param name="ScheduleInterval">What the schedule's index counts: <c>epoch</c>, <c>batch</c>, or <c>none</c> without a schedule.</param>
/// <param name="TrainingSamples">The size of the training set, which every epoch's permutation depends on.</param>
internal sealed record RunSettings(
    int Seed, int BatchSize, bool DropLast, string Loss, string L2Penalty, string Optimizer, string Schedule, string ScheduleInterval, int TrainingSamples)
{
    /// <summary>The settings of a run of <paramref name="options"/> over <paramref name="trainingSamples"/> samples.</summary>
    public static RunSettings Of(TrainingOptions options, int trainingSamples) => new(
        options.Seed,
        Math.Min(options.BatchSize, trainingSamples),
        options.DropLast,
        options.Loss.ToString(),
        Describe(options.L2Penalty),
        Describe(options.EffectiveOptimizer),
        Describe(options.Schedule),
        options.Schedule is null ? "none" : options.Schedule.Interval.ToString().ToLowerInvariant(),
        trainingSamples);

    /// <summary>Steps in each epoch of the run.</summary>
    public int StepsPerEpoch => Trainer.StepsPerEpoch(TrainingSamples, BatchSize, DropLast);

    /// <summary>The schedule's index at the next step of <paramref name="position"/> (its position), or null without a schedule.</summary>
    public int? SchedulePosition(RunPosition position) => ScheduleInterval switch
    {
        "epoch" => position.Epoch - 1,
        "batch" => position.RunStep(StepsPerEpoch),
        _ => null,
    };

    /// <summary>Each setting under its metadata key.</summary>
    public IEnumerable<KeyValuePair<string, string>> Entries()
    {
        yield return new("seed", Describe(Seed));
        yield return new("batch_size", Describe(BatchSize));
        yield return new("drop_last", Describe(DropLast));
        yield return new("loss", Loss);
        yield return new("l2_penalty", L2Penalty);
        yield return new("optimizer", Optimizer);
        yield return new("schedule", Schedule);
        yield return new("schedule_interval", ScheduleInterval);
        yield return new("training_samples", Describe(TrainingSamples));
    }

    /// <summary>What differs between the run that was saved (this) and <paramref name="resumed"/>, or null when nothing does.</summary>
    public string? Difference(RunSettings resumed)
    {
        var saved = Entries().ToDictionary(entry => entry.Key, entry => entry.Value);
        foreach ((string key, string value) in resumed.Entries())
        {
            if (saved[key] != value)
            {
                string what = key == "training_samples" ? "the training set's size" : key.Replace('_', ' ');
                return $"the run that wrote it had {what} {saved[key]} but this one has {value}; a resumed run must keep every setting " +
                    "but the epoch count, patience, prefetching and the hooks, or it would not continue the same run.";
            }
        }

        return null;
    }

    /// <summary>
    /// An invariant, round-trip description of a setting: numbers as <c>R</c>, sequences in brackets, a record (an optimizer,
    /// a schedule, one a user wrote) as its type name and public properties sorted by name, anything else by its own text.
    /// </summary>
    internal static string Describe(object? value) => value switch
    {
        null => "none",
        string text => text,
        bool flag => flag ? "true" : "false",
        float number => number.ToString("R", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        // Only records' properties are their settings: a delegate's or a type's would lead anywhere.
        _ when value.GetType().GetMethod("<Clone>$") is not null => value.GetType().Name + "(" + string.Join(
            ", ",
            value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.GetIndexParameters().Length == 0)
                .OrderBy(property => property.Name, StringComparer.Ordinal)
                .Select(property => property.Name + "=" + Describe(property.GetValue(value)))) + ")",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
