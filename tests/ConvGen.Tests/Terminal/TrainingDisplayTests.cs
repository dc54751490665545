using System.Text.RegularExpressions;
using ConvGen.Data;
using ConvGen.Terminal;
using ConvGen.Training;
using Spectre.Console;

namespace ConvGen.Tests.Terminal;

/// <summary>
/// The ready console display: plain lines when the output cannot redraw (their text asserted whole), a live table on a
/// terminal (its last frame read back with a clock the test moves), and the choice between the two.
/// </summary>
public sealed partial class TrainingDisplayTests
{
    [Fact]
    public void PlainLinesGiveEachEpochsFiguresAndTheTimeLeftFromTheMeanEpoch()
    {
        var output = new StringWriter { NewLine = "\n" };
        TrainingDisplay display = TrainingDisplay.Plain(output);

        display.Show(progress =>
        {
            progress.Report(new StepCompleted(1, 3, 1, 2, 2.5f, 0.25f, 100) { LearningRate = 0.01f });
            progress.Report(new EpochCompleted(3, new EpochMetrics(1, 2.25f, 0.5f, 1.5f, 0.625f, 10, 1234.4) { LearningRate = 0.01f }));
            progress.Report(new EpochCompleted(3, new EpochMetrics(2, 1.125f, 0.75f, 1.0625f, 0.8125f, 20, 1000) { LearningRate = 0.005f }));
            progress.Report(new EpochCompleted(3, new EpochMetrics(3, 0.5f, 0.875f, null, null, 30, 900) { LearningRate = 2.5e-5f }));
            return 0;
        });

        // Epoch 1: 10 s so far, 2 to go -> 20 s. Epoch 2: (10 + 20) / 2 = 15 s a epoch, 1 to go -> 15 s. The last: none.
        Assert.Equal(
            "epoch 1/3: loss 2.2500, accuracy 50.00%, validation loss 1.5000, validation accuracy 62.50%, learning rate 0.01, 1,234 images/s, 10.0 s, ETA 20s\n" +
            "epoch 2/3: loss 1.1250, accuracy 75.00%, validation loss 1.0625, validation accuracy 81.25%, learning rate 0.005, 1,000 images/s, 20.0 s, ETA 15s\n" +
            "epoch 3/3: loss 0.5000, accuracy 87.50%, learning rate 2.5E-05, 900 images/s, 30.0 s\n",
            output.ToString());
    }

    [Fact]
    public void PlainLinesOfARealRunQuoteItsHistory()
    {
        (Dataset train, Dataset test) = DigitsData.LoadEmbedded().Split(0.8, seed: 3);
        var output = new StringWriter { NewLine = "\n" };
        var options = new TrainingOptions(Epochs: 2, BatchSize: 64, new Adam(1e-2f), Seed: 1);

        TrainingResult<TinyDigitsNet> result = TrainingDisplay.Plain(output)
            .Show(progress => Trainer.Fit(TinyDigitsNet.Initialize(seed: 1), train, options, validation: test, progress))
            .Match(Right: trained => trained, Left: error => throw new InvalidOperationException(error.Message));

        string[] lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        for (int i = 0; i < 2; i++)
        {
            EpochMetrics epoch = result.History[i];
            Assert.StartsWith(
                FormattableString.Invariant($"epoch {i + 1}/2: loss {epoch.TrainLoss:F4}, accuracy {epoch.TrainAccuracy * 100:F2}%, validation loss {epoch.ValidationLoss:F4}, validation accuracy {epoch.ValidationAccuracy * 100:F2}%, learning rate 0.01, "),
                lines[i]);
        }
    }

    [Fact]
    public void TheLiveTableShowsTheRunningEpochAndThenTheFinishedOnes()
    {
        var clock = new ManualClock();
        (IAnsiConsole console, StringWriter screen) = Terminal();
        TrainingDisplay display = TrainingDisplay.Live(console, clock);
        string? midway = null;

        display.Show(progress =>
        {
            // Two epochs of four steps, one second a step.
            progress.Report(new StepCompleted(1, 2, 1, 4, 2.0f, 0.25f, 64) { LearningRate = 0.001f });
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(new StepCompleted(1, 2, 2, 4, 1.0f, 0.5f, 64) { LearningRate = 0.001f });
            midway = LastFrame(screen);
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(new StepCompleted(1, 2, 3, 4, 1.0f, 0.5f, 64) { LearningRate = 0.001f });
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(new StepCompleted(1, 2, 4, 4, 1.0f, 0.5f, 64) { LearningRate = 0.001f });
            progress.Report(new EpochCompleted(2, new EpochMetrics(1, 1.25f, 0.5f, 0.75f, 0.875f, 3, 85.3) { LearningRate = 0.001f }));
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(new StepCompleted(2, 2, 1, 4, 0.5f, 1.0f, 64) { LearningRate = 0.0005f });
            progress.Report(new EpochCompleted(2, new EpochMetrics(2, 0.25f, 1.0f, 0.5f, 0.9375f, 3, 90) { LearningRate = 0.0005f }));
            return 0;
        });

        // After step 2 of 8: one timed step took 1 s, six to go. The loss is the epoch's mean so far, (2 + 1) / 2.
        Assert.Matches(Row("1/2", "2/4", "1.5000", "50.00%", "-", "-", "0.001", "64", "6s"), midway);
        // The finished table: epoch 1's final figures (3 timed steps in 3 s, 4 to go), epoch 2 done.
        string final = LastFrame(screen);
        Assert.Matches(Row("epoch", "step", "loss", "acc", "val loss", "val acc", "lr", "img/s", "ETA"), final);
        Assert.Matches(Row("1/2", "4/4", "1.2500", "50.00%", "0.7500", "87.50%", "0.001", "85", "4s"), final);
        Assert.Matches(Row("2/2", "4/4", "0.2500", "100.00%", "0.5000", "93.75%", "0.0005", "90", "done"), final);
    }

    [Fact]
    public void TheLiveTableRedrawsAtMostTenTimesASecond()
    {
        var clock = new ManualClock();
        (IAnsiConsole console, StringWriter screen) = Terminal();

        TrainingDisplay.Live(console, clock).Show(progress =>
        {
            progress.Report(new StepCompleted(1, 1, 1, 100, 1f, 0.5f, 10));
            for (int step = 2; step < 100; step++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
                progress.Report(new StepCompleted(1, 1, step, 100, 1f, 0.5f, 10));
            }

            return 0;
        });

        // Steps 1, 11, 21, ..., 91: ten redraws over 98 steps 10 ms apart (and none for steps in between).
        string text = Regex.Replace(screen.ToString(), @"\x1b\[[0-9;?]*[A-Za-z]", "");
        string[] steps = StepCell().Matches(text).Select(match => match.Groups["step"].Value).Distinct().ToArray();
        Assert.Equal(["1/100", "11/100", "21/100", "31/100", "41/100", "51/100", "61/100", "71/100", "81/100", "91/100"], steps);
    }

    [Fact]
    public void AConsoleThatCannotRedrawGetsPlainLinesAndATerminalGetsTheTable()
    {
        IAnsiConsole redirected = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(TextWriter.Null) });
        IAnsiConsole noAnsi = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(TextWriter.Null) });

        Assert.False(TrainingDisplay.For(redirected, TextWriter.Null).IsLive);
        Assert.False(TrainingDisplay.For(noAnsi, TextWriter.Null).IsLive);
        Assert.True(TrainingDisplay.For(Terminal().Console, TextWriter.Null).IsLive);
    }

    [Fact]
    public void TheCoreLibraryHasNoConsoleDependency()
    {
        string[] references = typeof(Trainer).Assembly.GetReferencedAssemblies().Select(name => name.Name!).ToArray();

        Assert.DoesNotContain(references, name => name.StartsWith("Spectre", StringComparison.Ordinal));
        Assert.Contains(typeof(TrainingDisplay).Assembly.GetReferencedAssemblies(), name => name.Name == "Spectre.Console");
    }

    // An interactive ANSI terminal 160 columns wide whose screen is a string.
    private static (IAnsiConsole Console, StringWriter Screen) Terminal()
    {
        var screen = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(screen),
        });
        console.Profile.Width = 160;
        return (console, screen);
    }

    // The last table drawn: the text from the last top border on, without ANSI codes.
    private static string LastFrame(StringWriter screen)
    {
        string text = Regex.Replace(screen.ToString(), @"\x1b\[[0-9;?]*[A-Za-z]", "");
        return text[text.LastIndexOf('╭')..];
    }

    // A table row holding these cells in order, each between the column separators.
    private static string Row(params string[] cells) => @"│\s*" + string.Join(@"\s*│\s*", cells.Select(Regex.Escape)) + @"\s*│";

    [GeneratedRegex(@"│\s*1/1\s*│\s*(?<step>\d+/100)\s*│")]
    private static partial Regex StepCell();
}
