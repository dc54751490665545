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
}

/// <summary>What a finished run reports.</summary>
public sealed record MnistOutcome(EvaluationResult Test, string CheckpointPath, TrainingResult<MnistNet> Training);

/// <summary>
/// The run as one pipeline of error values: load -> (limit) -> train -> evaluate -> save. Any step that fails
/// short-circuits with a message naming the file or setting; nothing is written unless training finished.
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

        Either<ConvGenError, (Dataset Train, Dataset Test)> loaded = await IdxDataset.LoadAsync(source, settings.DataFolder, cancellationToken);
        var options = new TrainingOptions(settings.Epochs, settings.BatchSize, new Adam(settings.LearningRate), settings.Seed) { L2Penalty = settings.L2Penalty };
        return
            from data in loaded
            from train in Limit(data.Train, settings.TrainLimit, settings.Seed)
            from trained in Trainer.Fit(MnistNet.Initialize(settings.Seed), train, options, validation: null, progress)
            from path in SaveCheckpoint(trained.Model, settings)
            select new MnistOutcome(Evaluation.Evaluate(trained.Model, data.Test), path, trained);
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

    private static Either<ConvGenError, string> SaveCheckpoint(MnistNet model, MnistSettings settings)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"{settings.DataSet}-seed{settings.Seed}-epochs{settings.Epochs}.safetensors");
        string path = Path.GetFullPath(Path.Combine(settings.CheckpointFolder, name));
        try
        {
            Directory.CreateDirectory(settings.CheckpointFolder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Left<ConvGenError, string>(new ConvGenError($"{settings.CheckpointFolder}: cannot create the checkpoint folder ({exception.Message})."));
        }

        return Checkpoint.Save(model, path).Map(_ => path);
    }
}
