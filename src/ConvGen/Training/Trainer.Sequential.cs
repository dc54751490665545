using ConvGen.Data;
using ConvGen.Layers;
using LanguageExt;

namespace ConvGen.Training;

/// <summary>Training for networks composed at run time, exactly as for generated ones.</summary>
public static partial class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>; evaluates on <paramref name="validation"/> after each epoch if given.
    /// Returns the trained model and per-epoch history, or an error naming the setting or data that cannot be used.
    /// Cancelling <paramref name="cancellationToken"/> stops the run before its next step, as for generated networks.
    /// </summary>
    public static Either<ConvGenError, TrainingResult<SequentialNetwork>> Fit(
        SequentialNetwork model, Dataset train, TrainingOptions options, Dataset? validation = null, IProgress<TrainingEvent>? progress = null,
        CancellationToken cancellationToken = default) =>
        Fit(model.Sequential.Definition, model, train, options, validation, progress, resumeFrom: null, cancellationToken);
}
