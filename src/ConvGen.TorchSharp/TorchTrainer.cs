using System.Collections.Immutable;
using System.Diagnostics;
using ConvGen.Data;
using ConvGen.Kernels;
using ConvGen.Training;
using LanguageExt;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// The managed <c>Trainer</c>'s run on a <see cref="TorchEngine{TNet}"/>: the same checks before the first step, the
/// same shuffles (the same seed gives the same batches), progress events, validation, patience and stop on a
/// non-finite loss. Dropout draws from torch's generator, seeded from <see cref="TrainingOptions.Seed"/>.
/// </summary>
internal static class TorchTrainer
{
    /// <summary>This back end's name in messages.</summary>
    public const string Backend = "the libtorch backend";

    public static Either<ConvGenError, TrainingResult<TNet>> Fit<TNet>(
        NetworkDefinition<TNet> definition, TNet model, Dataset train, TrainingOptions options, TorchDevice device, Dataset? validation, IProgress<TrainingEvent>? progress)
        where TNet : class
    {
        string? problem = options.Validate() ?? TorchOptimizer.Check(options.EffectiveOptimizer) ?? ClassificationLoss.Check(options.Loss, definition.Layout)
            ?? TargetLoss.ClassLabelsOnly(train, Backend) ?? (validation is null ? null : TargetLoss.ClassLabelsOnly(validation, Backend))
            ?? Trainer.CheckData(definition.Layout, train) ?? (validation is null ? null : Trainer.CheckData(definition.Layout, validation))
            ?? (options.DropLast && train.Count < options.BatchSize
                ? $"{train.Name}: dropping the last partial batch of {options.BatchSize} leaves no batch at all from {train.Count} samples."
                : null)
            ?? BatchStatistics.CheckBatch(definition.Layout, BatchStatistics.SmallestBatch(train.Count, options.BatchSize, options.DropLast))
            ?? options.Augmentation?.Check(train)
            ?? (options.Schedule is null ? null : "The libtorch backend does not follow learning-rate schedules yet; train without TrainingOptions.Schedule or with Trainer.Fit.");
        if (problem is not null)
        {
            return Left<ConvGenError, TrainingResult<TNet>>(new ConvGenError(problem));
        }

        return TorchEngine<TNet>.Create(definition, model, device).Map((TorchEngine<TNet> engine) =>
        {
            using (engine)
            {
                return Run(engine, train, options, validation, progress);
            }
        });
    }

    private static TrainingResult<TNet> Run<TNet>(TorchEngine<TNet> engine, Dataset train, TrainingOptions options, Dataset? validation, IProgress<TrainingEvent>? progress)
        where TNet : class
    {
        Optimizer optimizerSettings = options.EffectiveOptimizer;
        using TorchOptimizer optimizer = engine.Optimizer(optimizerSettings, optimizerSettings.CreateState(engine.Layout.TrainableCount));
        manual_seed(options.Seed);
        int batchSize = Math.Min(options.BatchSize, train.Count);
        int stepsPerEpoch = options.DropLast ? train.Count / batchSize : (train.Count + batchSize - 1) / batchSize;
        int seenPerEpoch = Math.Min(train.Count, stepsPerEpoch * batchSize);
        float[] images = new float[batchSize * train.SampleSize];
        int[] labels = new int[batchSize];
        BatchAugmenter? augmenter = BatchAugmenter.For(options.Augmentation, options.Seed, train);
        var history = ImmutableArray.CreateBuilder<EpochMetrics>(options.Epochs);
        (TNet Model, float Loss, int Epoch)? best = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            // The managed trainer's shuffle, so both backends see the same batches.
            int[] order = Dataset.Permutation(train.Count, (int)RandomHash.Mix((ulong)options.Seed, (ulong)epoch));
            double lossSum = 0;
            int correct = 0;
            for (int step = 0; step < stepsPerEpoch; step++)
            {
                int start = step * batchSize, count = Math.Min(batchSize, train.Count - start);
                Trainer.Gather(train, order.AsSpan(start, count), images, labels);
                // The managed trainer's augmentation too, in line: the same augmented batches.
                augmenter?.Apply(images.AsSpan(0, count * train.SampleSize), order.AsSpan(start, count), epoch);
                (float loss, int right) = engine.Step(images, labels, count, options.Loss, options.L2Penalty, optimizer);
                if (!float.IsFinite(loss))
                {
                    return new TrainingResult<TNet>(engine.Snapshot(), history.ToImmutable(),
                        $"Stopped in epoch {epoch}, step {step + 1}: the loss became {loss}. The model is the last one with a finite loss; try a smaller learning rate.",
                        optimizer.Snapshot());
                }

                lossSum += loss * count;
                correct += right;
                int seen = start + count;
                progress?.Report(new StepCompleted(epoch, options.Epochs, step + 1, stepsPerEpoch, loss, (float)correct / seen, seen / clock.Elapsed.TotalSeconds));
            }

            double seconds = clock.Elapsed.TotalSeconds;
            EvaluationResult? validated = validation is null ? null : TorchEvaluation.Evaluate(engine, validation, batchSize: 256, options.Loss);
            var metrics = new EpochMetrics(epoch, (float)(lossSum / seenPerEpoch), (float)correct / seenPerEpoch, validated?.Loss, validated?.Accuracy, seconds, train.Count / seconds);
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
                return new TrainingResult<TNet>(best.Value.Model, history.ToImmutable(), reason, optimizer.Snapshot());
            }
        }

        return new TrainingResult<TNet>(engine.Snapshot(), history.ToImmutable(), null, optimizer.Snapshot());
    }
}
