using System.Globalization;
using ConvGen.Checkpoints;
using ConvGen.Data;
using ConvGen.Training;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Samples.Mnist;

/// <summary>The settings of one run, as the command line gives them.</summary>
public sealed record MnistSettings(
    string? DataFolder,
    string DataSet,
    int Epochs,
    int BatchSize,
    float LearningRate,
    int Seed,
    string CheckpointFolder,
    int? TrainLimit)
{
    /// <summary>Notebook 002's explicit L2 penalty lambda (<c>loss + lambda * sum(p^2)</c>); 0, the default, leaves it out.</summary>
    public float L2Penalty { get; init; }

    /// <summary>A resumable checkpoint to continue, written by a run stopped with Ctrl+C; null starts afresh.</summary>
    public string? Resume { get; init; }
}

/// <summary>
/// What a run reports: when it finished, the test figures and the model's checkpoint; when it was cancelled, no test
/// figures and the resumable checkpoint that <c>--resume</c> continues.
/// </summary>
public sealed record MnistOutcome(EvaluationResult? Test, string CheckpointPath, TrainingResult<MnistNet> Training);

/// <summary>
/// The run as one pipeline of error values: checkpoint folder -> load -> (limit) -> train or resume -> evaluate -> save.
/// Any step that fails short-circuits with a message naming the file or setting; a run that diverged is a failure (its
/// last finite model is no trained result). A cancelled run (Ctrl+C) saves a resumable checkpoint instead of the model.
/// </summary>
public static class MnistRun
{
    /// <summary>The data sets this sample knows, by command-line name.</summary>
    public static IReadOnlyDictionary<string, DatasetSource> DataSets { get; } = new Dictionary<string, DatasetSource>
    {
        ["mnist"] = DatasetSource.Mnist,
        ["fashion-mnist"] = DatasetSource.FashionMnist,
    };

    /// <summary>Runs the whole pipeline, reporting progress to <paramref name="progress"/>.</summary>
    public static async Task<Either<ConvGenError, MnistOutcome>> RunAsync(MnistSettings settings, IProgress<TrainingEvent>? progress, CancellationToken cancellationToken = default)
    {
        if (!DataSets.TryGetValue(settings.DataSet, out DatasetSource? source))
        {
            return Left<ConvGenError, MnistOutcome>(new ConvGenError($"Unknown data set '{settings.DataSet}'; choose one of {string.Join(", ", DataSets.Keys)}."));
        }

        // The folder is checked before hours of training, not after.
        return await CheckpointFolder(settings).Match(
            Right: folder => TrainAsync(settings, source, folder, progress, cancellationToken),
            Left: error => Task.FromResult(Left<ConvGenError, MnistOutcome>(error)));
    }

    private static async Task<Either<ConvGenError, MnistOutcome>> TrainAsync(
        MnistSettings settings, DatasetSource source, string checkpointFolder, IProgress<TrainingEvent>? progress, CancellationToken cancellationToken)
    {
        Either<ConvGenError, (Dataset Train, Dataset Test)> loaded = await IdxDataset.LoadAsync(source, settings.DataFolder, cancellationToken);
        var options = new TrainingOptions(settings.Epochs, settings.BatchSize, new Adam(settings.LearningRate), settings.Seed) { L2Penalty = settings.L2Penalty };
        return
            from data in loaded
            from train in Limit(data.Train, settings.TrainLimit, settings.Seed)
            from fitted in settings.Resume is { } resume
                ? TrainingCheckpoint.Load<MnistNet>(resume).Bind(checkpoint => Trainer.Resume(checkpoint, train, options, validation: null, progress, cancellationToken))
                : Trainer.Fit(MnistNet.Initialize(settings.Seed), train, options, validation: null, progress, cancellationToken)
            from trained in Converged(fitted)
            from outcome in trained.Checkpoint is { } checkpoint && trained.Cancelled
                ? SaveFile(checkpointFolder, settings, $"{settings.DataSet}-seed{settings.Seed}.resume.safetensors", path => TrainingCheckpoint.Save(checkpoint, path))
                    .Map(path => new MnistOutcome(Test: null, path, trained))
                : SaveFile(checkpointFolder, settings, $"{settings.DataSet}-seed{settings.Seed}-epochs{settings.Epochs}.safetensors", path => Checkpoint.Save(trained.Model, path))
                    .Map(path => new MnistOutcome(Evaluation.Evaluate(trained.Model, data.Test), path, trained))
            select outcome;
    }

    private static Either<ConvGenError, Dataset> Limit(Dataset train, int? limit, int seed)
    {
        if (limit is not int count)
        {
            return Right<ConvGenError, Dataset>(train);
        }

        return count < 1
            ? Left<ConvGenError, Dataset>(new ConvGenError($"--limit must be at least 1, got {count}."))
            : Right<ConvGenError, Dataset>(train.Select(Dataset.Permutation(train.Count, seed).AsSpan(0, Math.Min(count, train.Count))));
    }

    private static Either<ConvGenError, TrainingResult<MnistNet>> Converged(TrainingResult<MnistNet> trained) =>
        trained.Diverged
            ? Left<ConvGenError, TrainingResult<MnistNet>>(new ConvGenError(trained.StopReason + " No checkpoint was written."))
            : Right<ConvGenError, TrainingResult<MnistNet>>(trained);

    // The folder as a full path when it exists or could be created; nothing is created before a checkpoint is saved.
    private static Either<ConvGenError, string> CheckpointFolder(MnistSettings settings)
    {
        string folder;
        try
        {
            folder = Path.GetFullPath(settings.CheckpointFolder);
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or NotSupportedException)
        {
            return Left<ConvGenError, string>(new ConvGenError($"--checkpoints '{settings.CheckpointFolder}': not a usable folder path ({exception.Message})."));
        }

        // The nearest existing ancestor decides: it must be a folder, not a file.
        for (string? existing = folder; existing is not null; existing = Path.GetDirectoryName(existing))
        {
            if (File.Exists(existing))
            {
                return Left<ConvGenError, string>(new ConvGenError($"--checkpoints {settings.CheckpointFolder}: {existing} is a file, so the checkpoint folder cannot be created."));
            }

            if (Directory.Exists(existing))
            {
                break;
            }
        }

        return Right<ConvGenError, string>(folder);
    }

    private static Either<ConvGenError, string> SaveFile(string folder, MnistSettings settings, FormattableString name, Func<string, Either<ConvGenError, Unit>> save)
    {
        string path = Path.Combine(folder, FormattableString.Invariant(name));
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Left<ConvGenError, string>(new ConvGenError($"{settings.CheckpointFolder}: cannot create the checkpoint folder ({exception.Message})."));
        }

        return save(path).Map(_ => path);
    }
}
