using System.Collections.Immutable;

namespace ConvGen.Training;

/// <summary>What one epoch did: mean training loss and accuracy, validation figures if a set was given, and throughput.</summary>
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

/// <summary>Loss, accuracy and confusion matrix of a model over a data set.</summary>
public sealed record EvaluationResult(float Loss, int Correct, int Count, ConfusionMatrix Confusion)
{
    /// <summary>Correct predictions over samples, in [0, 1].</summary>
    public float Accuracy => Count == 0 ? 0f : (float)Correct / Count;
}
