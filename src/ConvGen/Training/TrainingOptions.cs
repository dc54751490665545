namespace ConvGen.Training;

/// <summary>The settings of one training run. Defaults: 10 epochs, batch 32, Adam(1e-3), seed 0.</summary>
/// <param name="Epochs">Passes over the training data.</param>
/// <param name="BatchSize">Samples per step; the last batch of an epoch may be smaller.</param>
/// <param name="Optimizer">The update rule; Adam with learning rate 1e-3 when null.</param>
/// <param name="Seed">Decides the shuffling and the dropout masks: the same seed gives the same run.</param>
/// <param name="Patience">
/// Early stopping: with a validation set, stop after this many epochs without a lower validation loss and keep the
/// best model. Null trains every epoch.
/// </param>
/// <param name="DropLast">Skip an epoch's last batch when it is smaller than <paramref name="BatchSize"/>, as PyTorch's <c>drop_last</c>.</param>
public sealed record TrainingOptions(int Epochs = 10, int BatchSize = 32, Optimizer? Optimizer = null, int Seed = 0, int? Patience = null, bool DropLast = false)
{
    /// <summary>
    /// Gather the next batch on a background thread while the current step runs (the default). The batches, and so the
    /// trained weights, are the same either way; off, each batch is gathered just before its step.
    /// </summary>
    public bool Prefetch { get; init; } = true;

    /// <summary>The optimizer this run uses.</summary>
    public Optimizer EffectiveOptimizer => Optimizer ?? new Adam();

    /// <summary>Why these settings cannot train, or null when they can.</summary>
    public string? Validate() =>
        Epochs < 1 ? $"Epochs must be at least 1, got {Epochs}."
        : BatchSize < 1 ? $"The batch size must be at least 1, got {BatchSize}."
        : Patience < 1 ? $"Patience must be at least 1 epoch, got {Patience}."
        : EffectiveOptimizer.Validate();
}
