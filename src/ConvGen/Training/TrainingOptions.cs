using ConvGen.Data;

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
    /// The loss to train with, matching what the network's last layer gives; cross-entropy on logits by default. The
    /// validation loss of each epoch is the same loss.
    /// </summary>
    public TrainingLoss Loss { get; init; } = TrainingLoss.CrossEntropy;

    /// <summary>
    /// The explicit L2 penalty lambda of notebook 002: each step's loss becomes <c>loss + lambda * sum(p^2)</c> over every
    /// parameter, biases included, so the optimizer receives the gradient plus <c>2 lambda p</c>; 0 (the default) turns it off.
    /// The reported training loss includes the penalty, the validation loss does not.
    /// <para>
    /// It is not the optimizer's weight decay. Weight decay is a setting of the update rule and never shows in the loss; a
    /// penalty is part of the loss, the same for any optimizer. The two move the parameters alike only where the decay is
    /// coupled and added to the gradient: <c>L2Penalty = lambda</c> steps as <see cref="Sgd"/> or <see cref="Adam"/> with
    /// <c>WeightDecay = 2 lambda</c> (PyTorch's <c>weight_decay</c> of SGD and Adam). AdamW's decoupled decay (<see cref="Adam.W"/>)
    /// shrinks the weights outside Adam's scaling and differs from the penalty, which Adam divides by its running scale like
    /// any other gradient. Both at once add up.
    /// </para>
    /// </summary>
    public float L2Penalty { get; init; }

    /// <summary>
    /// Gather the next batch on a background thread while the current step runs (the default). The batches, and so the
    /// trained weights, are the same either way; off, each batch is gathered just before its step.
    /// </summary>
    public bool Prefetch { get; init; } = true;

    /// <summary>
    /// The learning-rate schedule, as PyTorch's <c>lr_scheduler</c>: each step's rate is <see cref="LearningRateSchedule.RateAt"/>
    /// of the epoch (or, for a per-batch schedule, of the run's step) with the optimizer's rate as the base. Null (the default)
    /// keeps the optimizer's rate throughout.
    /// </summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>
    /// Called in order after each epoch, once its validation figures are known: to save a resumable checkpoint every
    /// epoch (<see cref="EpochHooks.SaveCheckpoint"/>), keep the model with the lowest validation loss
    /// (<see cref="EpochHooks.KeepBest"/>), or anything else. An error a hook returns stops the run with that error.
    /// </summary>
    public IReadOnlyList<EpochHook> AfterEpoch { get; init; } = [];

    /// <summary>
    /// Data augmentation: the pipeline each training sample goes through when its batch is gathered (on the prefetch
    /// thread), seeded by <see cref="Seed"/>, the epoch and the sample. Null (the default) trains on the samples as they are.
    /// </summary>
    public Augmentation? Augmentation { get; init; }

    /// <summary>The optimizer this run uses.</summary>
    public Optimizer EffectiveOptimizer => Optimizer ?? new Adam();

    /// <summary>Why these settings cannot train, or null when they can.</summary>
    public string? Validate() =>
        Epochs < 1 ? $"Epochs must be at least 1, got {Epochs}."
        : BatchSize < 1 ? $"The batch size must be at least 1, got {BatchSize}."
        : Patience < 1 ? $"Patience must be at least 1 epoch, got {Patience}."
        : CheckL2Penalty(L2Penalty) ?? EffectiveOptimizer.Validate() ?? Schedule?.Validate() ?? Augmentation?.Validate();

    /// <summary>Why <paramref name="lambda"/> cannot be an L2 penalty, or null when it can.</summary>
    internal static string? CheckL2Penalty(float lambda) =>
        lambda >= 0f && float.IsFinite(lambda) ? null : $"The L2 penalty must be a finite number of at least 0, got {lambda}.";
}
