using ConvGen.Training;

namespace ConvGen.Terminal;

/// <summary>
/// One line per epoch, the same figures as the live table's: nothing redraws, so a log or CI output stays readable.
/// The time left is the mean epoch so far times the epochs to go, from the events alone (no clock; a resumed run counts
/// only the epochs it ran).
/// </summary>
internal sealed class PlainTrainingProgress(TextWriter output) : IProgress<TrainingEvent>
{
    private double secondsSoFar;
    private int epochsSeen;

    public void Report(TrainingEvent value)
    {
        if (value is not EpochCompleted { Metrics: var epoch } completed)
        {
            return;
        }

        secondsSoFar += epoch.Seconds;
        epochsSeen++;
        var line = new List<string>
        {
            $"epoch {epoch.Epoch}/{completed.Epochs}: loss {TrainingFigures.Loss(epoch.TrainLoss)}",
            $"accuracy {TrainingFigures.Accuracy(epoch.TrainAccuracy)}",
        };
        if (epoch is { ValidationLoss: float validationLoss, ValidationAccuracy: float validationAccuracy })
        {
            line.Add($"validation loss {TrainingFigures.Loss(validationLoss)}");
            line.Add($"validation accuracy {TrainingFigures.Accuracy(validationAccuracy)}");
        }

        line.Add($"learning rate {TrainingFigures.LearningRate(epoch.LearningRate)}");
        line.Add($"{TrainingFigures.ImagesPerSecond(epoch.ImagesPerSecond)} images/s");
        line.Add(TrainingFigures.Seconds(epoch.Seconds));
        if (epoch.Epoch < completed.Epochs)
        {
            line.Add("ETA " + TrainingFigures.TimeLeft(TimeSpan.FromSeconds(secondsSoFar / epochsSeen * (completed.Epochs - epoch.Epoch))));
        }

        output.WriteLine(string.Join(", ", line));
    }
}
