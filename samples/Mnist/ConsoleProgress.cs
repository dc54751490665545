using System.Globalization;
using ConvGen.Training;
using Spectre.Console;

namespace ConvGen.Samples.Mnist;

/// <summary>
/// Shows training progress: a live bar per epoch with loss, accuracy and images/s on a terminal, one plain line per
/// epoch when the output is redirected (logs, CI), so a log never fills with redraws.
/// </summary>
public sealed class ConsoleProgress : IProgress<TrainingEvent>
{
    private readonly TextWriter plain;
    private ProgressTask? task;
    private ProgressContext? context;

    private ConsoleProgress(TextWriter plain) => this.plain = plain;

    /// <summary>Runs <paramref name="work"/> under a live display when the console is interactive, otherwise writing one line an epoch to <paramref name="plain"/>.</summary>
    public static async Task<T> RunAsync<T>(IAnsiConsole console, TextWriter plain, Func<IProgress<TrainingEvent>, Task<T>> work)
    {
        var progress = new ConsoleProgress(plain);
        if (!console.Profile.Capabilities.Interactive)
        {
            return await work(progress);
        }

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async live =>
            {
                progress.context = live;
                return await work(progress);
            });
    }

    /// <inheritdoc/>
    public void Report(TrainingEvent value)
    {
        switch (value)
        {
            case StepCompleted step when context is not null:
                task ??= context.AddTask($"epoch {step.Epoch}/{step.Epochs}", maxValue: step.StepsPerEpoch);
                task.Value = step.Step;
                task.Description = string.Format(
                    CultureInfo.InvariantCulture,
                    "epoch {0}/{1}  loss {2:F4}  acc {3:P1}  {4:N0} img/s",
                    step.Epoch, step.Epochs, step.Loss, step.RunningAccuracy, step.ImagesPerSecond);
                break;
            case EpochCompleted epoch:
                task?.StopTask();
                task = null;
                if (context is null)
                {
                    EpochMetrics m = epoch.Metrics;
                    plain.WriteLine(string.Format(
                        CultureInfo.InvariantCulture,
                        "epoch {0}/{1}: loss {2:F4}, train accuracy {3:P2}, {4:N0} images/s, {5:F1} s",
                        m.Epoch, epoch.Epochs, m.TrainLoss, m.TrainAccuracy, m.ImagesPerSecond, m.Seconds));
                }

                break;
        }
    }
}
