using ConvGen.Data;
using ConvGen.Layers;
using ConvGen.Training;
using LanguageExt;

namespace ConvGen.TorchSharp;

/// <summary>The TorchSharp backend for networks composed at run time.</summary>
public static partial class TorchBackend
{
    /// <summary>As <see cref="Trainer.Fit(SequentialNetwork, Dataset, TrainingOptions, Dataset?, IProgress{TrainingEvent}?, CancellationToken)"/>, on <paramref name="device"/>.</summary>
    public static Either<ConvGenError, TrainingResult<SequentialNetwork>> Fit(
        SequentialNetwork model, Dataset train, TrainingOptions options, TorchDevice? device = null, Dataset? validation = null, IProgress<TrainingEvent>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TorchTrainer.Fit(model.Sequential.Definition, model, train, options, device ?? TorchDevice.Cpu, validation, progress);
    }

    /// <summary>One training step of a run-time network on <paramref name="device"/>.</summary>
    public static Either<ConvGenError, (SequentialNetwork Model, OptimizerState State, float Loss)> Step(
        SequentialNetwork model, OptimizerState state, Optimizer optimizer, Dataset batch, TorchDevice? device = null, long seed = 0, TrainingLoss loss = TrainingLoss.CrossEntropy, float l2Penalty = 0f)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Step(model.Sequential.Definition, model, state, optimizer, batch, device ?? TorchDevice.Cpu, seed, loss, l2Penalty);
    }

    /// <summary>Evaluates a run-time network on <paramref name="device"/>.</summary>
    public static Either<ConvGenError, EvaluationResult> Evaluate(SequentialNetwork model, Dataset data, TorchDevice? device = null, int batchSize = 256, TrainingLoss loss = TrainingLoss.CrossEntropy)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Evaluate(model.Sequential.Definition, model, data, device ?? TorchDevice.Cpu, batchSize, loss);
    }

    /// <summary>Runs a run-time network on <paramref name="device"/>: <c>count</c> samples in, <c>count x outputs</c> values out.</summary>
    public static Either<ConvGenError, float[]> Predict(SequentialNetwork model, ReadOnlySpan<float> images, int count, TorchDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Predict(model.Sequential.Definition, model, images, count, device ?? TorchDevice.Cpu);
    }
}
