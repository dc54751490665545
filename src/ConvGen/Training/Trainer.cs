using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ConvGen.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Training;

/// <summary>
/// Trains a generated network with the options' loss (cross-entropy by default): shuffle, batch, step, for N epochs.
/// Settings, data, the starting model and the memory the run needs are checked before the first step. A step whose
/// loss is not finite, or whose update leaves a non-finite value, stops the run: it keeps the last model whose loss and
/// values were all finite and says so (<see cref="TrainingResult{TNet}.Diverged"/>).
/// </summary>
public static partial class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>; evaluates on <paramref name="validation"/> after each epoch if given.
    /// Returns the trained model and per-epoch history, or an error naming the setting or data that cannot be used.
    /// Cancelling <paramref name="cancellationToken"/> stops the run before its next step, with the result's
    /// <see cref="TrainingResult{TNet}.Checkpoint"/> holding what <see cref="Resume{TNet}(TrainingCheckpoint{TNet}, Dataset, TrainingOptions, Dataset?, IProgress{TrainingEvent}?, CancellationToken)"/> needs to continue.
    /// </summary>
    public static Either<ConvGenError, TrainingResult<TNet>> Fit<TNet>(
        TNet model, Dataset train, TrainingOptions options, Dataset? validation = null, IProgress<TrainingEvent>? progress = null, CancellationToken cancellationToken = default)
        where TNet : class, INetwork<TNet> =>
        Fit(NetworkDefinition.Of<TNet>(), model, train, options, validation, progress, resumeFrom: null, cancellationToken);

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes; from <paramref name="resumeFrom"/>'s position when given.</summary>
    internal static Either<ConvGenError, TrainingResult<TNet>> Fit<TNet>(
        NetworkDefinition<TNet> definition, TNet model, Dataset train, TrainingOptions options, Dataset? validation, IProgress<TrainingEvent>? progress,
        TrainingCheckpoint<TNet>? resumeFrom, CancellationToken cancellationToken)
        where TNet : class
    {
        string? problem = options.Validate() ?? TargetLoss.Check(options.Loss, definition.Layout, train, validation) ?? CheckData(definition.Layout, train)
            ?? (validation is null ? null : CheckData(definition.Layout, validation))
            ?? (options.DropLast && train.Count < options.BatchSize
                ? $"{train.Name}: dropping the last partial batch of {options.BatchSize} leaves no batch at all from {train.Count} samples."
                : null)
            ?? BatchStatistics.CheckBatch(definition.Layout, BatchStatistics.SmallestBatch(train.Count, options.BatchSize, options.DropLast))
            ?? CheckFinite(train) ?? (validation is null ? null : CheckFinite(validation)) ?? options.Augmentation?.Check(train)
            ?? CheckFinite(definition.Layout, definition.ParametersOf(model))
            ?? options.Schedule?.CheckLength(options.Schedule.LastIndex(options.Epochs, StepsPerEpoch(train.Count, Math.Min(options.BatchSize, train.Count), options.DropLast)))
            ?? RunMemory.CheckTraining(definition.Layout, Math.Min(options.BatchSize, train.Count), options.EffectiveOptimizer, validation?.Count ?? 0, collect: true);
        if (problem is not null)
        {
            return Left<ConvGenError, TrainingResult<TNet>>(new ConvGenError(problem));
        }

        Optimizer optimizer = options.EffectiveOptimizer;
        int batchSize = Math.Min(options.BatchSize, train.Count);
        var engine = new TrainingEngine<TNet>(
            definition, model, optimizer, resumeFrom?.OptimizerState ?? optimizer.CreateState(definition.Layout.TrainableCount), batchSize, options.Loss, options.L2Penalty,
            train.HasFloatTargets);
        using var batches = new BatchPrefetcher(train, batchSize, options.Prefetch, BatchAugmenter.For(options.Augmentation, options.Seed, train));
        var history = ImmutableArray.CreateBuilder<EpochMetrics>(options.Epochs);
        history.AddRange(resumeFrom?.History ?? []);
        BestEpoch<TNet>? best = resumeFrom?.Best;
        RunPosition start = resumeFrom?.Position ?? RunPosition.Start;
        var settings = RunSettings.Of(options, train.Count);
        int stepsTaken = start.StepsTaken;
        for (int epoch = start.Epoch; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            EpochOutcome outcome = RunEpoch(engine, batches, train, options, epoch == start.Epoch ? start : RunPosition.After(epoch - 1, stepsTaken), batchSize, progress, ref stepsTaken, cancellationToken);
            if (outcome.Divergence is { } divergence)
            {
                return divergence.NothingToKeep
                    ? Left<ConvGenError, TrainingResult<TNet>>(new ConvGenError(divergence.Message))
                    : Finish(engine, history, divergence.Message, checkpoint: null) with { Diverged = true };
            }

            if (outcome.Cancelled is { } stopped)
            {
                TrainingCheckpoint<TNet> here = CheckpointOf(engine, stopped, history, best, settings);
                return new TrainingResult<TNet>(here.Model, history.ToImmutable(), Cancelled(stopped, StepsPerEpoch(train.Count, batchSize, options.DropLast)), here.OptimizerState)
                {
                    Cancelled = true,
                    Checkpoint = here,
                };
            }

            // A resumed epoch's time includes what it ran before it stopped.
            double seconds = clock.Elapsed.TotalSeconds + (epoch == start.Epoch ? start.Seconds : 0);
            EvaluationResult? validated = validation is null ? null : Evaluation.Evaluate(definition, engine.Snapshot(), validation, batchSize: 256, options.Loss);
            var metrics = new EpochMetrics(epoch, outcome.MeanLoss, outcome.Accuracy, validated?.Loss, validated?.Accuracy, seconds, train.Count / seconds)
            {
                LearningRate = outcome.LearningRate,
                TrainMeanAbsoluteError = outcome.MeanAbsoluteError,
                ValidationMeanAbsoluteError = validated?.MeanAbsoluteError,
            };
            history.Add(metrics);
            progress?.Report(new EpochCompleted(options.Epochs, metrics));
            bool lowest = validated is not null && (best is null || validated.Loss < best.Loss);
            if (lowest)
            {
                // Early stopping hands the best model back; without it, only the loss is needed.
                best = new BestEpoch<TNet>(epoch, validated!.Loss, options.Patience is null ? null : engine.Snapshot());
            }

            if (options.AfterEpoch.Count > 0
                && EpochHooks.Run(options.AfterEpoch, metrics, lowest, CheckpointOf(engine, RunPosition.After(epoch, stepsTaken), history, best, settings)) is { } failed)
            {
                return Left<ConvGenError, TrainingResult<TNet>>(failed);
            }

            if (validated is null || options.Patience is not int patience)
            {
                continue;
            }

            if (!lowest && epoch - best!.Epoch >= patience)
            {
                string reason = $"Early stopping after epoch {epoch}: the validation loss has not improved for {patience} epochs; keeping epoch {best.Epoch}'s model.";
                return Finish(engine, history, reason, CheckpointOf(engine, RunPosition.After(epoch, stepsTaken), history, best, settings)) with { Model = best.Model! };
            }
        }

        return Finish(engine, history, stopReason: null, CheckpointOf(engine, RunPosition.After(options.Epochs, stepsTaken), history, best, settings));
    }

    private sealed record Divergence(string Message, bool NothingToKeep);

    private sealed record EpochOutcome(
        float MeanLoss, float Accuracy, float LearningRate, Divergence? Divergence, float? MeanAbsoluteError = null, RunPosition? Cancelled = null);

    // One pass over the shuffled training data; stops at the first step that diverges, with the engine holding the
    // last model whose loss and values were finite.
    // A cancelled token stops it before the next step, at a position a resumed run continues from.
    private static EpochOutcome RunEpoch<TNet>(
        TrainingEngine<TNet> engine, BatchPrefetcher batches, Dataset train, TrainingOptions options, RunPosition from, int batchSize,
        IProgress<TrainingEvent>? progress, ref int stepsTaken, CancellationToken cancellationToken)
        where TNet : class
    {
        var clock = Stopwatch.StartNew();
        int epoch = from.Epoch;
        int stepsPerEpoch = StepsPerEpoch(train.Count, batchSize, options.DropLast);
        int seenPerEpoch = Math.Min(train.Count, stepsPerEpoch * batchSize);
        int[] order = Dataset.Permutation(train.Count, RunPosition.DataOrderSeed(options.Seed, epoch));
        int[] labels = new int[batchSize];
        double lossSum = from.LossSum;
        var tally = new PredictionTally(options.Loss, train.HasFloatTargets, engine.Layout.OutputSize, from.Predictions);
        float baseRate = options.EffectiveOptimizer.LearningRate, rate = baseRate;
        int seenBefore = from.Step * batchSize;
        batches.Request(order, seenBefore, Math.Min(batchSize, train.Count - seenBefore), epoch);
        for (int step = from.Step; step < stepsPerEpoch; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // The batch gathered for this step is dropped: a resumed run gathers it again from the same order.
                return new EpochOutcome(
                    float.NaN, float.NaN, rate, null, Cancelled: new RunPosition(epoch, step, stepsTaken, lossSum, tally.Sums, from.Seconds + clock.Elapsed.TotalSeconds));
            }

            int start = step * batchSize, count = Math.Min(batchSize, train.Count - start);
            // This step's batch swaps in; the next one is gathered while the step runs.
            engine.TakeBatch(batches, ref labels);
            if (step + 1 < stepsPerEpoch)
            {
                batches.Request(order, start + batchSize, Math.Min(batchSize, train.Count - start - batchSize), epoch);
            }

            int runStep = ((epoch - 1) * stepsPerEpoch) + step;
            ulong seed = RunPosition.DropoutSeed(options.Seed, runStep);
            rate = options.Schedule?.RateFor(epoch - 1, runStep, baseRate) ?? baseRate;
            (float loss, StepOutcome stepOutcome) = engine.Step(labels.AsSpan(0, count), count, seed, rate);
            if (stepOutcome != StepOutcome.Taken)
            {
                return new EpochOutcome(float.NaN, float.NaN, rate, Diverged(engine, stepOutcome, loss, epoch, step + 1, stepsTaken));
            }

            stepsTaken++;

            lossSum += loss * count;
            tally.Add(engine.Output, labels.AsSpan(0, count), engine.Targets, count);
            int seen = start + count;
            progress?.Report(new StepCompleted(epoch, options.Epochs, step + 1, stepsPerEpoch, loss, tally.Accuracy, (seen - seenBefore) / clock.Elapsed.TotalSeconds) { LearningRate = rate });
        }

        return new EpochOutcome((float)(lossSum / seenPerEpoch), tally.Accuracy, rate, null, tally.MeanAbsoluteError);
    }

    /// <summary>Steps in an epoch of <paramref name="samples"/> samples in batches of <paramref name="batchSize"/>.</summary>
    internal static int StepsPerEpoch(int samples, int batchSize, bool dropLast) => dropLast ? samples / batchSize : (samples + batchSize - 1) / batchSize;

    // Puts the engine on the model to keep and says honestly which one that is.
    private static Divergence Diverged<TNet>(TrainingEngine<TNet> engine, StepOutcome outcome, float loss, int epoch, int step, int stepsTaken)
        where TNet : class
    {
        string where = $"Training diverged in epoch {epoch}, step {step}";
        const string Advice = "try a smaller learning rate.";
        if (outcome == StepOutcome.UpdateNotFinite)
        {
            // The engine already undid the update: it holds the model this step started from.
            return new Divergence(
                $"{where}: the loss was {loss} but the update made values of the model non-finite. " +
                $"Kept the model that step started from ({Steps(stepsTaken)}), the last whose loss and values were finite; {Advice}", NothingToKeep: false);
        }

        if (stepsTaken == 0)
        {
            return new Divergence(
                $"{where}: the loss of the starting model is already {loss}, so no model with a finite loss exists to keep; " +
                "check the scale of the inputs and of the starting weights.", NothingToKeep: true);
        }

        engine.RestorePrevious();
        return new Divergence(
            $"{where}: the loss became {loss}, so the previous step's update broke the model. " +
            $"Kept the model from before that update ({Steps(stepsTaken - 1)}), the last whose loss and values were finite; {Advice}", NothingToKeep: false);
    }

    private static string Steps(int taken) => taken == 0 ? "the starting model" : taken == 1 ? "after 1 step" : $"after {taken} steps";

    private static TrainingResult<TNet> Finish<TNet>(
        TrainingEngine<TNet> engine, ImmutableArray<EpochMetrics>.Builder history, string? stopReason, TrainingCheckpoint<TNet>? checkpoint)
        where TNet : class =>
        new(checkpoint?.Model ?? engine.Snapshot(), history.ToImmutable(), stopReason, checkpoint?.OptimizerState ?? engine.SnapshotState()) { Checkpoint = checkpoint };

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

    /// <summary>Why <paramref name="data"/> cannot be trained on because a pixel is not a finite number, or null when every pixel is.</summary>
    internal static string? CheckFinite(Dataset data)
    {
        ReadOnlySpan<float> pixels = data.Images;
        if (OptimizerState.AllFinite(pixels))
        {
            return null;
        }

        int index = pixels.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        int size = data.SampleSize, plane = data.Height * data.Width;
        int sample = index / size, within = index % size;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{data.Name}: sample {sample} holds a non-finite pixel ({pixels[index]}) at channel {within / plane}, row {within % plane / data.Width}, column {within % data.Width}; training needs finite inputs.");
    }

    /// <summary>Why <paramref name="parameters"/> cannot start a run because a value is not finite, or null when every value is.</summary>
    internal static string? CheckFinite(NetworkLayout layout, ParameterSet parameters)
    {
        if (OptimizerState.AllFinite(parameters.Values))
        {
            return null;
        }

        int index = parameters.Values.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        ParameterInfo tensor = layout.Parameters.Last(parameter => parameter.Offset <= index);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{layout.NetworkName}: the starting model holds a non-finite value ({parameters.Values[index]}) in {tensor.Name} at index {index - tensor.Offset}; training needs a finite model.");
    }

    /// <summary>Copies the samples at <paramref name="indices"/> into a batch: their labels, or their float targets if the data has them.</summary>
    internal static void Gather(Dataset data, ReadOnlySpan<int> indices, Span<float> images, Span<int> labels, Span<float> targets = default)
    {
        int size = data.SampleSize, targetSize = data.TargetSize;
        ReadOnlySpan<float> source = data.Images;
        for (int i = 0; i < indices.Length; i++)
        {
            source.Slice(indices[i] * size, size).CopyTo(images.Slice(i * size, size));
            if (targetSize == 0)
            {
                labels[i] = data.Labels[indices[i]];
            }
            else
            {
                data.Targets.Slice(indices[i] * targetSize, targetSize).CopyTo(targets.Slice(i * targetSize, targetSize));
            }
        }
    }
}
