using ConvGen.Data;
using ConvGen.Training;
using LanguageExt;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// Trains, evaluates and runs any ConvGen network on libtorch: the same <see cref="TrainingOptions"/>, losses,
/// optimizers, L2 penalty and progress events as <see cref="Trainer"/>, the same immutable model and optimizer-state
/// values in and out, on the device given (<see cref="TorchDevice.Cpu"/> when none). Everything that can go wrong —
/// libtorch missing, a device not there, settings or data that do not fit — is an error value.
/// </summary>
public static partial class TorchBackend
{
    /// <summary>
    /// As <c>Trainer.Fit</c>, on <paramref name="device"/>. Dropout draws from libtorch's global generator, seeded with
    /// <see cref="TrainingOptions.Seed"/> at the start: a run repeats when no other torch code draws from it meanwhile.
    /// </summary>
    public static Either<ConvGenError, TrainingResult<TNet>> Fit<TNet>(
        TNet model, Dataset train, TrainingOptions options, TorchDevice? device = null, Dataset? validation = null, IProgress<TrainingEvent>? progress = null)
        where TNet : class, INetwork<TNet> =>
        TorchTrainer.Fit(NetworkDefinition.Of<TNet>(), model, train, options, device ?? TorchDevice.Cpu, validation, progress);

    /// <summary>As <c>TrainingStep.Apply</c>, on <paramref name="device"/>: one step on the whole <paramref name="batch"/>.</summary>
    public static Either<ConvGenError, (TNet Model, OptimizerState State, float Loss)> Step<TNet>(
        TNet model, OptimizerState state, Optimizer optimizer, Dataset batch, TorchDevice? device = null, long seed = 0, TrainingLoss loss = TrainingLoss.CrossEntropy, float l2Penalty = 0f)
        where TNet : class, INetwork<TNet> =>
        Step(NetworkDefinition.Of<TNet>(), model, state, optimizer, batch, device ?? TorchDevice.Cpu, seed, loss, l2Penalty);

    /// <summary>As <c>Evaluation.Evaluate</c>, on <paramref name="device"/>.</summary>
    public static Either<ConvGenError, EvaluationResult> Evaluate<TNet>(TNet model, Dataset data, TorchDevice? device = null, int batchSize = 256, TrainingLoss loss = TrainingLoss.CrossEntropy)
        where TNet : class, INetwork<TNet> =>
        Evaluate(NetworkDefinition.Of<TNet>(), model, data, device ?? TorchDevice.Cpu, batchSize, loss);

    /// <summary>As <c>Inference.Predict</c>, on <paramref name="device"/>: <c>count</c> samples in, <c>count x outputs</c> values out.</summary>
    public static Either<ConvGenError, float[]> Predict<TNet>(TNet model, ReadOnlySpan<float> images, int count, TorchDevice? device = null)
        where TNet : class, INetwork<TNet> =>
        Predict(NetworkDefinition.Of<TNet>(), model, images, count, device ?? TorchDevice.Cpu);

    internal static Either<ConvGenError, (TNet Model, OptimizerState State, float Loss)> Step<TNet>(
        NetworkDefinition<TNet> definition, TNet model, OptimizerState state, Optimizer optimizer, Dataset batch, TorchDevice device, long seed, TrainingLoss loss, float l2Penalty)
        where TNet : class
    {
        NetworkLayout layout = definition.Layout;
        string? problem = optimizer.Validate() ?? TorchOptimizer.Check(optimizer) ?? TrainingOptions.CheckL2Penalty(l2Penalty) ?? ClassificationLoss.Check(loss, layout)
            ?? TargetLoss.ClassLabelsOnly(batch, TorchTrainer.Backend) ?? Trainer.CheckData(layout, batch)
            ?? (state.First.Length is not 0 && state.First.Length != layout.TrainableCount
                ? $"The optimizer state is for {state.First.Length} parameters but {layout.NetworkName} has {layout.TrainableCount} trainable ones."
                : null)
            ?? BatchStatistics.CheckBatch(layout, batch.Count);
        if (problem is not null)
        {
            return Left<ConvGenError, (TNet, OptimizerState, float)>(new ConvGenError(problem));
        }

        return TorchEngine<TNet>.Create(definition, model, device).Bind((TorchEngine<TNet> engine) =>
        {
            using (engine)
            using (TorchOptimizer torchOptimizer = engine.Optimizer(optimizer, state))
            {
                manual_seed(seed);
                float value = engine.Step(batch.Images, batch.Labels, batch.Count, loss, l2Penalty, torchOptimizer).Loss;
                return float.IsFinite(value)
                    ? Right<ConvGenError, (TNet, OptimizerState, float)>((engine.Snapshot(), torchOptimizer.Snapshot(), value))
                    : Left<ConvGenError, (TNet, OptimizerState, float)>(new ConvGenError($"The loss of this batch is {value}; the step was not taken."));
            }
        });
    }

    internal static Either<ConvGenError, EvaluationResult> Evaluate<TNet>(NetworkDefinition<TNet> definition, TNet model, Dataset data, TorchDevice device, int batchSize, TrainingLoss loss)
        where TNet : class
    {
        string? problem = TargetLoss.ClassLabelsOnly(data, TorchTrainer.Backend) ?? Trainer.CheckData(definition.Layout, data) ?? ClassificationLoss.Check(loss, definition.Layout)
            ?? (batchSize < 1 ? $"The batch size must be at least 1, got {batchSize}." : null);
        return problem is not null
            ? Left<ConvGenError, EvaluationResult>(new ConvGenError(problem))
            : TorchEngine<TNet>.Create(definition, model, device).Map((TorchEngine<TNet> engine) =>
            {
                using (engine)
                {
                    return TorchEvaluation.Evaluate(engine, data, batchSize, loss);
                }
            });
    }

    internal static Either<ConvGenError, float[]> Predict<TNet>(NetworkDefinition<TNet> definition, TNet model, ReadOnlySpan<float> images, int count, TorchDevice device)
        where TNet : class
    {
        NetworkLayout layout = definition.Layout;
        if (count < 1 || images.Length != (long)count * layout.InputSize)
        {
            return Left<ConvGenError, float[]>(new ConvGenError(
                $"{layout.NetworkName} takes {string.Join("x", layout.InputShape)} inputs ({layout.InputSize} values each): " +
                $"{count} samples need {(long)count * layout.InputSize} values but {images.Length} were given."));
        }

        float[] samples = images.ToArray();
        return TorchEngine<TNet>.Create(definition, model, device).Map((TorchEngine<TNet> engine) =>
        {
            using (engine)
            {
                return engine.Forward(samples, count);
            }
        });
    }
}
