using System.Globalization;
using ConvGen.Terminal;
using Spectre.Console;

namespace ConvGen.Samples.Mnist;

/// <summary>
/// What the command prints around a run: the network's summary, progress, then the checkpoint and the test accuracy,
/// or one line on <c>error</c> and exit code 1. Separate from the command line so a test can run it with its own writers.
/// </summary>
public static class MnistConsole
{
    /// <summary>The exit code of a run stopped by Ctrl+C, as shells report an interrupted command (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Runs <paramref name="settings"/>, showing live progress on <paramref name="console"/> when it is interactive; returns the
    /// exit code. Cancelling <paramref name="cancellationToken"/> (Ctrl+C) stops training before its next step and saves a
    /// resumable checkpoint, whose path is printed with the <c>--resume</c> option that continues it.
    /// </summary>
    public static async Task<int> RunAsync(MnistSettings settings, IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        // Plain text goes to the writer, not Spectre: Spectre wraps redirected output at 80 columns, which breaks the summary table.
        output.WriteLine(MnistNet.Summary());
        output.WriteLine();
        if (settings.L2Penalty != 0f)
        {
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "L2 penalty: lambda = {0}, added to the training loss as lambda * sum(p^2)", settings.L2Penalty));
        }

        var outcome = await TrainingDisplay.For(console, output).ShowAsync(progress => MnistRun.RunAsync(settings, progress, cancellationToken));
        return outcome.Match(
            Right: result =>
            {
                if (result.Training.StopReason is { } reason)
                {
                    output.WriteLine(reason);
                }

                if (result.Test is null)
                {
                    output.WriteLine(string.Format(CultureInfo.InvariantCulture, "resumable checkpoint: {0}", result.CheckpointPath));
                    output.WriteLine(string.Format(CultureInfo.InvariantCulture, "continue with the same options and --resume {0}", result.CheckpointPath));
                    return Interrupted;
                }

                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "checkpoint: {0}", result.CheckpointPath));
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "test accuracy: {0:F2}%", result.Test.Accuracy * 100));
                return 0;
            },
            Left: failure =>
            {
                error.WriteLine("error: " + failure.Message);
                return 1;
            });
    }
}
