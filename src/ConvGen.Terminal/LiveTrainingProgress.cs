using ConvGen.Training;
using Spectre.Console;

namespace ConvGen.Terminal;

/// <summary>
/// Fills the live table from the events: the running epoch's row after every step (its loss the mean over the epoch's
/// steps so far, as the epoch's figure will be), the epoch's final figures when it completes. Redraws at most ten times
/// a second, so a fast network is not slowed by its display; the time left comes from the pace since the first step.
/// </summary>
internal sealed class LiveTrainingProgress(LiveTrainingTable table, LiveDisplayContext context, TimeProvider time) : IProgress<TrainingEvent>
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private const string None = "-";

    private readonly Lock gate = new();
    private int row = -1, rowEpoch, stepsPerEpoch, firstStepDone = -1;
    private long firstStepTime, lastRedraw;
    private double epochLossSum;
    private bool redrawn;

    public void Report(TrainingEvent value)
    {
        lock (gate)
        {
            switch (value)
            {
                case StepCompleted step:
                    ShowStep(step);
                    break;
                case EpochCompleted epoch:
                    ShowEpoch(epoch);
                    break;
            }
        }
    }

    private void ShowStep(StepCompleted step)
    {
        RowFor(step.Epoch);
        stepsPerEpoch = step.StepsPerEpoch;
        epochLossSum = step.Step == 1 ? step.Loss : epochLossSum + step.Loss;
        long now = time.GetTimestamp();
        int done = (step.Epoch - 1) * step.StepsPerEpoch + step.Step;
        if (firstStepDone < 0)
        {
            (firstStepDone, firstStepTime) = (done, now);
        }

        // The epoch's last step is left to its EpochCompleted, which follows with the final figures.
        if (step.Step == step.StepsPerEpoch || (redrawn && time.GetElapsedTime(lastRedraw, now) < RedrawInterval))
        {
            return;
        }

        table.Update(
            row, $"{step.Epoch}/{step.Epochs}", $"{step.Step}/{step.StepsPerEpoch}", TrainingFigures.Loss((float)(epochLossSum / step.Step)),
            TrainingFigures.Accuracy(step.RunningAccuracy), None, None, TrainingFigures.LearningRate(step.LearningRate),
            TrainingFigures.ImagesPerSecond(step.ImagesPerSecond), TimeLeft(done, step.Epochs * step.StepsPerEpoch, now));
        Redraw(now);
    }

    private void ShowEpoch(EpochCompleted completed)
    {
        EpochMetrics epoch = completed.Metrics;
        RowFor(epoch.Epoch);
        long now = time.GetTimestamp();
        string timeLeft = epoch.Epoch >= completed.Epochs ? "done" : TimeLeft(epoch.Epoch * stepsPerEpoch, completed.Epochs * stepsPerEpoch, now);
        table.Update(
            row, $"{epoch.Epoch}/{completed.Epochs}", stepsPerEpoch > 0 ? $"{stepsPerEpoch}/{stepsPerEpoch}" : None,
            TrainingFigures.Loss(epoch.TrainLoss), TrainingFigures.Accuracy(epoch.TrainAccuracy),
            epoch.ValidationLoss is float loss ? TrainingFigures.Loss(loss) : None,
            epoch.ValidationAccuracy is float accuracy ? TrainingFigures.Accuracy(accuracy) : None,
            TrainingFigures.LearningRate(epoch.LearningRate), TrainingFigures.ImagesPerSecond(epoch.ImagesPerSecond), timeLeft);
        Redraw(now);
    }

    // A new row when an epoch begins; events of the same epoch update its row.
    private void RowFor(int epoch)
    {
        if (row < 0 || rowEpoch != epoch)
        {
            (row, rowEpoch) = (table.AddRow(), epoch);
        }
    }

    // The pace since the first step seen, over the steps still to go; unknown until a second step has been timed.
    private string TimeLeft(int done, int total, long now)
    {
        int timedSteps = done - firstStepDone;
        if (firstStepDone < 0 || timedSteps <= 0)
        {
            return None;
        }

        TimeSpan elapsed = time.GetElapsedTime(firstStepTime, now);
        return TrainingFigures.TimeLeft(elapsed / timedSteps * (total - done));
    }

    private void Redraw(long now)
    {
        context.Refresh();
        (lastRedraw, redrawn) = (now, true);
    }
}
