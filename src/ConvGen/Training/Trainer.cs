using System.Collections.Immutable;
using System.Diagnostics;
using ConvGen.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Training;

/// <summary>
/// Trains a generated network with the options' loss (cross-entropy by default): shuffle, batch, step, for N epochs.
/// Settings and data are checked before the first step; a NaN or infinite loss stops the run and keeps the last good model.
/// </summary>
public static partial class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>; evaluates on <paramref name="validation"/> after each epoch if given.
    /// Returns the trained model and per-epoch history, or an error naming the setting or data that cannot be used.
    /// </summary>
    public static Either<ConvGenError, TrainingResult<TNet>> Fit<TNet>(
        TNet model, Dataset train, TrainingOptions options, Dataset? validation = null, IProgress<TrainingEvent>? progress = null)
        where TNet : class, INetwork<TNet> =>
        Fit(NetworkDefinition.Of<TNet>(), model, train, options, validation, progress);

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes.</summary>
    internal static Either<ConvGenError, TrainingResult<TNet>> Fit<TNet>(
        NetworkDefinition<TNet> definition, TNet model, Dataset train, TrainingOptions options, Dataset? validation, IProgress<TrainingEvent>? progress)
        where TNet : class
    {
        string? problem = options.Validate() ?? ClassificationLoss.Check(options.Loss, definition.Layout) ?? CheckData(definition.Layout, train)
            ?? (validation is null ? null : CheckData(definition.Layout, validation))
            ?? (options.DropLast && train.Count < options.BatchSize
                ? $"{train.Name}: dropping the last partial batch of {options.BatchSize} leaves no batch at all from {train.Count} samples."
                : null)
            ?? BatchStatistics.CheckBatch(definition.Layout, BatchStatistics.SmallestBatch(train.Count, options.BatchSize, options.DropLast));
        if (problem is not null)
        {
            return Left<ConvGenError, TrainingResult<TNet>>(new ConvGenError(problem));
        }

        Optimizer optimizer = options.EffectiveOptimizer;
        int batchSize = Math.Min(options.BatchSize, train.Count);
        var engine = new TrainingEngine<TNet>(definition, model, optimizer, optimizer.CreateState(definition.Layout.TrainableCount), batchSize, options.Loss, options.L2Penalty);
        using var batches = new BatchPrefetcher(train, batchSize, options.Prefetch);
        var history = ImmutableArray.CreateBuilder<EpochMetrics>(options.Epochs);
        (TNet Model, float Loss, int Epoch)? best = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            EpochOutcome outcome = RunEpoch(engine, batches, train, options, epoch, batchSize, progress);
            if (outcome.Failure is not null)
            {
                return Finish(engine, history, outcome.Failure);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            EvaluationResult? validated = validation is null ? null : Evaluation.Evaluate(definition, engine.Snapshot(), validation, batchSize: 256, options.Loss);
            var metrics = new EpochMetrics(epoch, outcome.MeanLoss, outcome.Accuracy, validated?.Loss, validated?.Accuracy, seconds, train.Count / seconds);
            history.Add(metrics);
            progress?.Report(new EpochCompleted(options.Epochs, metrics));
            if (validated is null || options.Patience is not int patience)
            {
                continue;
            }

            if (best is null || validated.Loss < best.Value.Loss)
            {
                best = (engine.Snapshot(), validated.Loss, epoch);
            }
            else if (epoch - best.Value.Epoch >= patience)
            {
                string reason = $"Early stopping after epoch {epoch}: the validation loss has not improved for {patience} epochs; keeping epoch {best.Value.Epoch}'s model.";
                return Right<ConvGenError, TrainingResult<TNet>>(new TrainingResult<TNet>(best.Value.Model, history.ToImmutable(), reason, engine.SnapshotState()));
            }
        }

        return Finish(engine, history, stopReason: null);
    }

    private sealed record EpochOutcome(float MeanLoss, float Accuracy, string? Failure);

    // One pass over the shuffled training data; stops at the first non-finite loss, before that step's update.
    private static EpochOutcome RunEpoch<TNet>(
        TrainingEngine<TNet> engine, BatchPrefetcher batches, Dataset train, TrainingOptions options, int epoch, int batchSize, IProgress<TrainingEvent>? progress)
        where TNet : class
    {
        var clock = Stopwatch.StartNew();
        int stepsPerEpoch = options.DropLast ? train.Count / batchSize : (train.Count + batchSize - 1) / batchSize;
        int seenPerEpoch = Math.Min(train.Count, stepsPerEpoch * batchSize);
        // HashCode.Combine would differ between processes: its seed is random. The mix is the same everywhere.
        int[] order = Dataset.Permutation(train.Count, (int)Kernels.RandomHash.Mix((ulong)options.Seed, (ulong)epoch));
        int[] labels = new int[batchSize];
        double lossSum = 0;
        int correct = 0;
        batches.Request(order, 0, Math.Min(batchSize, train.Count));
        for (int step = 0; step < stepsPerEpoch; step++)
        {
            int start = step * batchSize, count = Math.Min(batchSize, train.Count - start);
            // This step's batch swaps in; the next one is gathered while the step runs.
            engine.TakeBatch(batches, ref labels);
            if (step + 1 < stepsPerEpoch)
            {
                batches.Request(order, start + batchSize, Math.Min(batchSize, train.Count - start - batchSize));
            }

            ulong seed = Kernels.RandomHash.Mix((ulong)options.Seed, (ulong)((epoch - 1) * stepsPerEpoch + step));
            float loss = engine.Step(labels.AsSpan(0, count), count, seed);
            if (!float.IsFinite(loss))
            {
                return new EpochOutcome(float.NaN, float.NaN,
                    $"Stopped in epoch {epoch}, step {step + 1}: the loss became {loss}. The model is the last one with a finite loss; try a smaller learning rate.");
            }

            lossSum += loss * count;
            correct += CountCorrect(engine.Output, labels.AsSpan(0, count), engine.Layout.OutputSize);
            int seen = start + count;
            progress?.Report(new StepCompleted(epoch, options.Epochs, step + 1, stepsPerEpoch, loss, (float)correct / seen, seen / clock.Elapsed.TotalSeconds));
        }

        return new EpochOutcome((float)(lossSum / seenPerEpoch), (float)correct / seenPerEpoch, null);
    }

    private static Either<ConvGenError, TrainingResult<TNet>> Finish<TNet>(TrainingEngine<TNet> engine, ImmutableArray<EpochMetrics>.Builder history, string? stopReason)
        where TNet : class =>
        Right<ConvGenError, TrainingResult<TNet>>(new TrainingResult<TNet>(engine.Snapshot(), history.ToImmutable(), stopReason, engine.SnapshotState()));

    /// <summary>Why <paramref name="data"/> cannot feed the network of <paramref name="layout"/>, or null when it can.</summary>
    internal static string? CheckData(NetworkLayout layout, Dataset data)
    {
        // A dataset holds a sequence network's C x L samples as C x 1 x L.
        bool sequence = layout.InputShape.Length == 2;
        int[] planes = sequence ? [layout.InputShape[0], 1, layout.InputShape[1]] : [.. layout.InputShape];
        if (data.Channels != planes[0] || data.Height != planes[1] || data.Width != planes[2])
        {
            string expected = string.Join("x", layout.InputShape) + (sequence ? $" (held in a dataset as {string.Join("x", planes)})" : string.Empty);
            return $"{data.Name}: {layout.NetworkName} takes {expected} inputs but the samples are {data.SampleShapeText}.";
        }

        if (data.Classes > layout.OutputSize)
        {
            return $"{data.Name}: has {data.Classes} classes but {layout.NetworkName} produces only {layout.OutputSize} outputs.";
        }

        return data.Count == 0 ? $"{data.Name}: holds no samples." : null;
    }

    /// <summary>Copies the samples at <paramref name="indices"/> into a batch.</summary>
    internal static void Gather(Dataset data, ReadOnlySpan<int> indices, Span<float> images, Span<int> labels)
    {
        int size = data.SampleSize;
        ReadOnlySpan<float> source = data.Images;
        for (int i = 0; i < indices.Length; i++)
        {
            source.Slice(indices[i] * size, size).CopyTo(images.Slice(i * size, size));
            labels[i] = data.Labels[indices[i]];
        }
    }

    /// <summary>How many rows of <paramref name="logits"/> have their largest value at the label.</summary>
    internal static int CountCorrect(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes)
    {
        int correct = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            if (Inference.ArgMax(logits.Slice(n * classes, classes)) == labels[n])
            {
                correct++;
            }
        }

        return correct;
    }
}
