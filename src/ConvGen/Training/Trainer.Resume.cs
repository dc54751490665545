using System.Collections.Immutable;
using System.Globalization;
using ConvGen.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Training;

/// <summary>Continuing a run that was cancelled, stopped early or finished, as if it had never stopped.</summary>
public static partial class Trainer
{
    /// <summary>
    /// Continues the run <paramref name="checkpoint"/> was taken from, on the same <paramref name="train"/> set and with the
    /// same <paramref name="options"/>: the model, the weights, the optimizer's state, the epoch's running figures and the
    /// random streams pick up where they were, so the result is bit for bit the one the run would have given uninterrupted.
    /// Only <see cref="TrainingOptions.Epochs"/> (to train further), <see cref="TrainingOptions.Patience"/>,
    /// <see cref="TrainingOptions.Prefetch"/> and <see cref="TrainingOptions.AfterEpoch"/> may change; any other difference, or
    /// fewer epochs than the checkpoint has already run, is an error naming it. Works alike for generated and
    /// <see cref="Layers.Sequential"/> networks.
    /// </summary>
    public static Either<ConvGenError, TrainingResult<TNet>> Resume<TNet>(
        TrainingCheckpoint<TNet> checkpoint, Dataset train, TrainingOptions options, Dataset? validation = null, IProgress<TrainingEvent>? progress = null,
        CancellationToken cancellationToken = default)
        where TNet : class
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        int finished = checkpoint.Step == 0 ? checkpoint.Epoch - 1 : checkpoint.Epoch;
        string? problem = options.Validate()
            ?? (checkpoint.Settings.Difference(RunSettings.Of(options, train.Count)) is { } difference ? "The checkpoint cannot continue this run: " + difference : null)
            ?? CheckState(checkpoint.OptimizerState, options.EffectiveOptimizer, checkpoint.Definition.Layout)
            ?? (options.Epochs < finished
                ? string.Create(CultureInfo.InvariantCulture, $"The checkpoint's run is already in epoch {checkpoint.Epoch}, past the {options.Epochs} epochs these options ask for.")
                : null);
        return problem is null
            ? Fit(checkpoint.Definition, checkpoint.Model, train, options, validation, progress, checkpoint, cancellationToken)
            : Left<ConvGenError, TrainingResult<TNet>>(new ConvGenError(problem));
    }

    // The update writes every moment the optimizer keeps: a state with other sizes (an edited file) must not reach it.
    private static string? CheckState(OptimizerState state, Optimizer optimizer, NetworkLayout layout)
    {
        OptimizerState needed = optimizer.CreateState(layout.TrainableCount);
        return state.First.Length == needed.First.Length && state.Second.Length == needed.Second.Length
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"The checkpoint's optimizer state holds moments of {state.First.Length} and {state.Second.Length} values, but {optimizer.GetType().Name} " +
                $"on {layout.NetworkName} keeps {needed.First.Length} and {needed.Second.Length}.");
    }

    // The engine's state at a position: a copy the run can go on changing its own state after.
    private static TrainingCheckpoint<TNet> CheckpointOf<TNet>(
        TrainingEngine<TNet> engine, RunPosition position, ImmutableArray<EpochMetrics>.Builder history, BestEpoch<TNet>? best, RunSettings settings)
        where TNet : class =>
        new(engine.Definition, engine.Snapshot(), engine.SnapshotState(), position, history.ToImmutable(), best, settings);

    private static string Cancelled(RunPosition at, int stepsPerEpoch) => string.Create(
        CultureInfo.InvariantCulture,
        $"Cancelled in epoch {at.Epoch} after {at.Step} of its {stepsPerEpoch} steps ({at.StepsTaken} steps in all); the result's Checkpoint continues the run.");
}
