using System.Collections.Immutable;

namespace ConvGen.Training;

/// <summary>
/// Everything a run needs to continue exactly where it stopped: the model (BatchNorm buffers included), the optimizer's
/// state, the position (epoch and step), the interrupted epoch's running sums, the history so far and the best
/// validation loss. The data order and the dropout masks are counter-based, drawn from the seed and the position
/// (see <see cref="TrainingCheckpoint"/>), so the position is their random state. Given by every
/// <see cref="TrainingResult{TNet}"/> (<see cref="TrainingResult{TNet}.Checkpoint"/>), saved and loaded as one safetensors file by
/// <see cref="TrainingCheckpoint"/>, continued by <see cref="Trainer.Resume{TNet}(TrainingCheckpoint{TNet}, Data.Dataset, TrainingOptions, Data.Dataset?, IProgress{TrainingEvent}?, CancellationToken)"/>.
/// </summary>
/// <typeparam name="TNet">The network's model value: a generated network record or a <see cref="Layers.SequentialNetwork"/>.</typeparam>
public sealed class TrainingCheckpoint<TNet>
    where TNet : class
{
    internal TrainingCheckpoint(
        NetworkDefinition<TNet> definition, TNet model, OptimizerState optimizerState, RunPosition position, ImmutableArray<EpochMetrics> history, BestEpoch<TNet>? best, RunSettings settings)
    {
        Definition = definition;
        Model = model;
        OptimizerState = optimizerState;
        Position = position;
        History = history;
        Best = best;
        Settings = settings;
    }

    /// <summary>The model as the last step left it.</summary>
    public TNet Model { get; }

    /// <summary>The optimizer's moments and step count as the last step left them.</summary>
    public OptimizerState OptimizerState { get; }

    /// <summary>The epoch the run continues in, from 1; one past the last epoch once every epoch ran.</summary>
    public int Epoch => Position.Epoch;

    /// <summary>Steps of <see cref="Epoch"/> already taken: the run continues with the next one.</summary>
    public int Step => Position.Step;

    /// <summary>Steps taken over the whole run.</summary>
    public int StepsTaken => Position.StepsTaken;

    /// <summary>The metrics of every finished epoch, in order.</summary>
    public ImmutableArray<EpochMetrics> History { get; }

    /// <summary>The epoch with the lowest validation loss so far, or null without a validation set.</summary>
    public int? BestEpoch => Best?.Epoch;

    internal NetworkDefinition<TNet> Definition { get; }

    internal RunPosition Position { get; }

    internal BestEpoch<TNet>? Best { get; }

    internal RunSettings Settings { get; }
}

/// <summary>
/// Where a run stands: the epoch it is in (from 1), the steps of it taken, the steps of the whole run, and the epoch's
/// running loss sum (over samples), prediction sums and seconds, so the epoch's figures (mean loss, accuracy, mean absolute
/// error, time) come out as if never interrupted.
/// </summary>
internal sealed record RunPosition(int Epoch, int Step, int StepsTaken, double LossSum, PredictionSums Predictions, double Seconds)
{
    /// <summary>Before the first step.</summary>
    public static RunPosition Start { get; } = new(1, 0, 0, 0, default, 0);

    /// <summary>The start of the epoch after <paramref name="epoch"/>.</summary>
    public static RunPosition After(int epoch, int stepsTaken) => new(epoch + 1, 0, stepsTaken, 0, default, 0);

    /// <summary>The run's step index this position's next step has, counted from 0 across epochs.</summary>
    public int RunStep(int stepsPerEpoch) => ((Epoch - 1) * stepsPerEpoch) + Step;

    // HashCode.Combine would differ between processes: its seed is random. The mix is the same everywhere.

    /// <summary>The seed of epoch <paramref name="epoch"/>'s permutation of the training set: the data-order random state.</summary>
    public static int DataOrderSeed(int seed, int epoch) => (int)Kernels.RandomHash.Mix((ulong)seed, (ulong)epoch);

    /// <summary>The seed of the dropout masks of the run's step <paramref name="runStep"/>: the dropout random state.</summary>
    public static ulong DropoutSeed(int seed, int runStep) => Kernels.RandomHash.Mix((ulong)seed, (ulong)runStep);
}

/// <summary>The epoch with the lowest validation loss so far, and its model when early stopping needs it back.</summary>
internal sealed record BestEpoch<TNet>(int Epoch, float Loss, TNet? Model)
    where TNet : class;
