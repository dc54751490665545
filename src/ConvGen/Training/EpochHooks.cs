using System.Globalization;
using ConvGen.Checkpoints;
using LanguageExt;

namespace ConvGen.Training;

/// <summary>Something to do after each epoch of a run (<see cref="TrainingOptions.AfterEpoch"/>); an error it returns stops the run.</summary>
/// <param name="end">The epoch that just ended, with ways to save the run's state.</param>
public delegate Either<ConvGenError, Unit> EpochHook(EpochEnd end);

/// <summary>The end of one epoch as a hook sees it: its metrics, whether its validation loss is the lowest so far, and the run's state to save.</summary>
public sealed class EpochEnd
{
    private readonly Func<string, Either<ConvGenError, Unit>> saveCheckpoint;
    private readonly Func<string, Either<ConvGenError, Unit>> saveModel;

    internal EpochEnd(EpochMetrics metrics, bool lowestValidationLoss, Func<string, Either<ConvGenError, Unit>> saveCheckpoint, Func<string, Either<ConvGenError, Unit>> saveModel)
    {
        Metrics = metrics;
        LowestValidationLoss = lowestValidationLoss;
        this.saveCheckpoint = saveCheckpoint;
        this.saveModel = saveModel;
    }

    /// <summary>The epoch's metrics, validation figures included when the run has a validation set.</summary>
    public EpochMetrics Metrics { get; }

    /// <summary>Whether this epoch's validation loss is the lowest of the run so far (the first epoch's is); false without a validation set.</summary>
    public bool LowestValidationLoss { get; }

    /// <summary>Writes the run's resumable state after this epoch to <paramref name="path"/>, atomically (see <see cref="TrainingCheckpoint"/>).</summary>
    public Either<ConvGenError, Unit> SaveCheckpoint(string path) => saveCheckpoint(path);

    /// <summary>Writes the model after this epoch to <paramref name="path"/> as <see cref="Checkpoint"/> does: PyTorch's <c>state_dict()</c>, atomically.</summary>
    public Either<ConvGenError, Unit> SaveModel(string path) => saveModel(path);
}

/// <summary>Ready-made <see cref="EpochHook"/>s: Keras's <c>ModelCheckpoint</c>, every epoch or the best only.</summary>
public static class EpochHooks
{
    /// <summary>
    /// Saves the run's resumable state after every epoch to <paramref name="path"/>, in which <c>{epoch}</c>, if present,
    /// becomes the epoch's number (one file per epoch); without it, each epoch replaces the last one's file.
    /// </summary>
    public static EpochHook SaveCheckpoint(string path) => end => end.SaveCheckpoint(ForEpoch(path, end));

    /// <summary>
    /// Saves the model to <paramref name="path"/> after each epoch whose validation loss is the lowest so far, so the file
    /// always holds the best model of the run (<c>{epoch}</c> as for <see cref="SaveCheckpoint"/>). The run needs a validation set.
    /// </summary>
    public static EpochHook KeepBest(string path) => end =>
        end.Metrics.ValidationLoss is null
            ? new ConvGenError("KeepBest keeps the model with the lowest validation loss, but the run has no validation set; pass one to Fit.")
            : end.LowestValidationLoss ? end.SaveModel(ForEpoch(path, end)) : Prelude.unit;

    /// <summary>Runs <paramref name="hooks"/> in order after epoch <paramref name="metrics"/>; the first error, naming the epoch, or null.</summary>
    internal static ConvGenError? Run<TNet>(IReadOnlyList<EpochHook> hooks, EpochMetrics metrics, bool lowest, TrainingCheckpoint<TNet> checkpoint)
        where TNet : class
    {
        var end = new EpochEnd(
            metrics, lowest, path => TrainingCheckpoint.Save(checkpoint, path), path => Checkpoint.Save(checkpoint.Definition, checkpoint.Model, path));
        foreach (EpochHook hook in hooks)
        {
            if (hook(end).LeftToArray() is [var failed])
            {
                return new ConvGenError(string.Create(CultureInfo.InvariantCulture, $"After epoch {metrics.Epoch}: {failed.Message}"));
            }
        }

        return null;
    }

    private static string ForEpoch(string path, EpochEnd end) =>
        path.Replace("{epoch}", end.Metrics.Epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
