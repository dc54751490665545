using System.Collections.Immutable;

namespace ConvGen.Training;

/// <summary>
/// What one epoch did: mean training loss and accuracy, validation figures if a set was given, and throughput. The
/// accuracy is of class predictions, or per label for multi-label float targets; regression has none (NaN) and reports the
/// mean absolute error instead, beside its loss, the mean squared error.
/// </summary>
public sealed record EpochMetrics(
    int Epoch,
    float TrainLoss,
    float TrainAccuracy,
    float? ValidationLoss,
    float? ValidationAccuracy,
    double Seconds,
    double ImagesPerSecond)
{
    /// <summary>The learning rate of the epoch's last step: the epoch's rate for a per-epoch schedule or none.</summary>
    public float LearningRate { get; init; }

    /// <summary>For regression (float targets trained with MSE): the mean of <c>|output - target|</c> over the epoch's training batches; null otherwise.</summary>
    public float? TrainMeanAbsoluteError { get; init; }

    /// <summary>For regression with a validation set: the validation set's mean absolute error; null otherwise.</summary>
    public float? ValidationMeanAbsoluteError { get; init; }
}

/// <summary>What a training run reports as it goes; the core library never writes to the console itself.</summary>
public abstract record TrainingEvent;

/// <summary>Raised after every step: the batch's loss, the epoch's running accuracy and throughput so far.</summary>
public sealed record StepCompleted(int Epoch, int Epochs, int Step, int StepsPerEpoch, float Loss, float RunningAccuracy, double ImagesPerSecond) : TrainingEvent
{
    /// <summary>The learning rate this step's update used (the schedule's, or the optimizer's without one).</summary>
    public float LearningRate { get; init; }
}

/// <summary>Raised after every epoch, once its validation figures are known.</summary>
public sealed record EpochCompleted(int Epochs, EpochMetrics Metrics) : TrainingEvent;

/// <summary>The outcome of a run: the trained model, one row per epoch, and why it stopped early if it did.</summary>
/// <param name="Model">The trained model; after a divergence, the last one whose loss and values were all finite.</param>
/// <param name="History">Per-epoch metrics, in order.</param>
/// <param name="StopReason">Null when every epoch ran; otherwise what stopped the run (a NaN loss, say).</param>
/// <param name="OptimizerState">The optimizer's state at the end, to continue training.</param>
public sealed record TrainingResult<TNet>(TNet Model, ImmutableArray<EpochMetrics> History, string? StopReason, OptimizerState OptimizerState)
    where TNet : class
{
    /// <summary>
    /// True when the run stopped because a loss or an update was not finite: <see cref="Model"/> is then the last finite
    /// one, not a trained result, and <see cref="StopReason"/> says at which step it happened.
    /// </summary>
    public bool Diverged { get; init; }

    /// <summary>True when the run's cancellation token stopped it: <see cref="Checkpoint"/> continues it.</summary>
    public bool Cancelled { get; init; }

    /// <summary>
    /// Everything needed to continue the run from where it stopped, bit for bit as if it never had (see
    /// <see cref="Trainer.Resume{TNet}(TrainingCheckpoint{TNet}, Data.Dataset, TrainingOptions, Data.Dataset?, IProgress{TrainingEvent}?, CancellationToken)"/>);
    /// after early stopping, from the last epoch run, not the best. Null after a divergence, which a continuation would repeat.
    /// </summary>
    public TrainingCheckpoint<TNet>? Checkpoint { get; init; }
}

/// <summary>
/// Loss, accuracy and confusion matrix of a model over a data set. <see cref="Count"/> is the predictions judged: one per
/// sample for class labels; one per label and sample for multi-label float targets (trained with binary cross-entropy),
/// a logit above 0 (a probability above 0.5) predicting a target above 0.5; none for regression (float targets trained
/// with MSE), whose <see cref="Loss"/> is the mean squared error and <see cref="MeanAbsoluteError"/> the mean absolute one.
/// The confusion matrix is of the classes, empty for float targets.
/// </summary>
public sealed record EvaluationResult(float Loss, int Correct, int Count, ConfusionMatrix Confusion)
{
    /// <summary>Correct predictions over predictions judged, in [0, 1]; NaN when none were judged (regression).</summary>
    public float Accuracy => Count == 0 ? float.NaN : (float)Correct / Count;

    /// <summary>For regression: the mean of <c>|output - target|</c> over every output of every sample; null otherwise.</summary>
    public float? MeanAbsoluteError { get; init; }

    /// <summary>For multi-label targets: each label's accuracy over the samples, in output order (their mean is <see cref="Accuracy"/>); empty otherwise.</summary>
    public ImmutableArray<float> PerLabelAccuracy { get; init; } = [];
}
