using System.Globalization;
using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// The CSV metrics log, read back: its epoch rows are the run's history and its step rows the step events, number for
/// number; each row is in the file when it is reported, so a run that dies keeps its rows; and a file that cannot be
/// created is an error value.
/// </summary>
public sealed class MetricsLogTests : IDisposable
{
    private static readonly Dataset Digits = DigitsData.LoadEmbedded();

    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void EachEpochRowIsTheEpochsMetricsWithTheScheduledRate()
    {
        (Dataset train, Dataset validation) = Digits.Select([.. Enumerable.Range(0, 300)]).Split(0.8, seed: 2);
        var options = new TrainingOptions(Epochs: 3, BatchSize: 32, new Sgd(0.1f), Seed: 3) { Schedule = new StepDecay(1, Gamma: 0.5) };
        string path = folder.File("metrics.csv");

        TrainingResult<TinyDigitsNet> result;
        using (MetricsLog log = Created(path))
        {
            result = Trainer.Fit(TinyDigitsNet.Initialize(1), train, options, validation, log).Match(Right: run => run, Left: error => throw new InvalidOperationException(error.Message));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(MetricsLog.Header, lines[0]);
        Assert.Equal(4, lines.Length);
        double elapsed = 0;
        foreach ((string line, EpochMetrics epoch) in lines.Skip(1).Zip(result.History))
        {
            string[] cells = line.Split(',');
            Assert.Equal(11, cells.Length);
            Assert.Equal("epoch", cells[0]);
            Assert.Equal(epoch.Epoch, int.Parse(cells[1], CultureInfo.InvariantCulture));
            // 240 samples in batches of 32: 8 steps an epoch.
            Assert.Equal(8 * epoch.Epoch, int.Parse(cells[2], CultureInfo.InvariantCulture));
            Assert.Equal(
                [epoch.LearningRate, epoch.TrainLoss, epoch.TrainAccuracy, epoch.ValidationLoss!.Value, epoch.ValidationAccuracy!.Value],
                cells[3..8].Select(cell => float.Parse(cell, CultureInfo.InvariantCulture)));
            Assert.Equal([epoch.Seconds, epoch.ImagesPerSecond], cells[8..10].Select(cell => double.Parse(cell, CultureInfo.InvariantCulture)));
            double now = double.Parse(cells[10], CultureInfo.InvariantCulture);
            Assert.True(now >= elapsed + epoch.Seconds, $"epoch {epoch.Epoch} ended at {now} s, before its {epoch.Seconds} s of training after {elapsed} s");
            elapsed = now;
        }

        Assert.Equal([0.1f, 0.05f, 0.025f], result.History.Select(epoch => epoch.LearningRate));
    }

    [Fact]
    public void WithStepsEveryStepHasARowBeforeItsEpochsAndEveryEventGoesOn()
    {
        Dataset train = Digits.Select([.. Enumerable.Range(0, 100)]);
        var options = new TrainingOptions(Epochs: 2, BatchSize: 40, new Adam(1e-2f), Seed: 4);
        var events = new List<TrainingEvent>();
        string path = folder.File("steps.csv");

        using (MetricsLog log = Created(path, steps: true, next: new Collector(events)))
        {
            Assert.True(Trainer.Fit(TinyDigitsNet.Initialize(2), train, options, progress: log).IsRight);
        }

        // 100 samples in batches of 40: 3 steps an epoch, then the epoch's row; no validation set, so those cells are empty.
        string[][] rows = [.. File.ReadAllLines(path).Skip(1).Select(line => line.Split(','))];
        Assert.Equal(["step", "step", "step", "epoch", "step", "step", "step", "epoch"], rows.Select(row => row[0]));
        Assert.Equal([1, 2, 3, 3, 4, 5, 6, 6], rows.Select(row => int.Parse(row[2], CultureInfo.InvariantCulture)));
        Assert.All(rows, row => Assert.Equal(["", ""], row[6..8]));
        StepCompleted[] steps = [.. events.OfType<StepCompleted>()];
        Assert.Equal(8, events.Count);
        Assert.Equal(
            steps.Select(step => (step.Epoch, step.LearningRate, step.Loss, step.RunningAccuracy, step.ImagesPerSecond)),
            rows.Where(row => row[0] == "step").Select(row => (
                int.Parse(row[1], CultureInfo.InvariantCulture), float.Parse(row[3], CultureInfo.InvariantCulture), float.Parse(row[4], CultureInfo.InvariantCulture),
                float.Parse(row[5], CultureInfo.InvariantCulture), double.Parse(row[9], CultureInfo.InvariantCulture))));
        Assert.All(rows.Where(row => row[0] == "step"), row => Assert.Equal("", row[8]));
    }

    [Fact]
    public void ARunThatDiesKeepsEveryRowReportedBeforeIt()
    {
        Dataset train = Digits.Select([.. Enumerable.Range(0, 64)]);
        var options = new TrainingOptions(Epochs: 5, BatchSize: 16, Seed: 1);
        string path = folder.File("crash.csv");
        var seen = new List<string[]>();
        MetricsLog log = Created(path, next: new AtEachEpoch(() => seen.Add(ReadWhileOpen(path)), failingEpoch: 3));

        // The display after the log fails in epoch 3, and the log is never closed: what a crash leaves behind.
        var thrown = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(TinyDigitsNet.Initialize(1), train, options, progress: log));

        Assert.Equal("the process dies here", thrown.Message);
        // Read through another handle as each epoch ended: its row was already in the file, whole.
        Assert.Equal([2, 3, 4], seen.Select(lines => lines.Length));
        string[] left = ReadWhileOpen(path);
        Assert.Equal(4, left.Length);
        Assert.Equal(["epoch,1,", "epoch,2,", "epoch,3,"], left.Skip(1).Select(line => line[..8]));
        Assert.All(left.Skip(1), line => Assert.Equal(11, line.Split(',').Length));
        log.Dispose();
    }

    [Theory]
    [InlineData("missing folder")]
    [InlineData("empty")]
    [InlineData("folder")]
    public void AFileThatCannotBeCreatedIsAnError(string kind)
    {
        string path = kind switch
        {
            "missing folder" => Path.Combine(folder.Path, "no such folder", "metrics.csv"),
            "empty" => "",
            _ => folder.Path,
        };

        string message = MetricsLog.Create(path).Match(Right: log => { log.Dispose(); return "created"; }, Left: error => error.Message);

        Assert.Equal(
            kind switch
            {
                "missing folder" => $"{path}: cannot be written (Could not find a part of the path '{path}'.)",
                "empty" => "The path '' is empty; a file name is needed.",
                _ => $"{path}: cannot be written (Access to the path '{path}' is denied.)",
            },
            message);
    }

    private static MetricsLog Created(string path, bool steps = false, IProgress<TrainingEvent>? next = null) =>
        MetricsLog.Create(path, steps, next).Match(Right: log => log, Left: error => throw new InvalidOperationException(error.Message));

    // As a plotting tool would read a log that is still being written.
    private static string[] ReadWhileOpen(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private sealed class Collector(List<TrainingEvent> events) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => events.Add(value);
    }

    private sealed class AtEachEpoch(Action action, int failingEpoch) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value)
        {
            if (value is EpochCompleted { Metrics.Epoch: var epoch })
            {
                action();
                if (epoch == failingEpoch)
                {
                    throw new InvalidOperationException("the process dies here");
                }
            }
        }
    }
}

/// <summary>Writing a row allocates nothing, so a log does not undo the allocation-free step: alone in the process.</summary>
[Collection(AloneCollection.Name)]
public sealed class MetricsLogAllocationTests
{
    [Fact]
    public void ReportingStepsAndEpochsAllocatesNothing()
    {
        using var folder = new TemporaryFolder();
        using MetricsLog log = MetricsLog.Create(folder.File("metrics.csv"), steps: true).Match(Right: created => created, Left: error => throw new InvalidOperationException(error.Message));
        var step = new StepCompleted(1, 2, 3, 4, 0.25f, 0.5f, 1234.5) { LearningRate = 1e-3f };
        var epoch = new EpochCompleted(2, new EpochMetrics(1, 0.3f, 0.9f, 0.4f, null, 1.5, 1000) { LearningRate = 1e-3f });
        log.Report(step);
        log.Report(epoch);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            log.Report(step);
            log.Report(epoch);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        string[] lines = File.ReadAllLines(log.Path);
        Assert.Equal(203, lines.Length);
        Assert.StartsWith("step,1,3,0.001,0.25,0.5,,,,1234.5,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("epoch,1,3,0.001,0.3,0.9,0.4,,1.5,1000,", lines[2], StringComparison.Ordinal);
    }
}
