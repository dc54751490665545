using ConvGen.Checkpoints;
using ConvGen.Data;
using ConvGen.Layers;
using ConvGen.Training;
using LanguageExt;

namespace ConvGen.Tests.Training;

/// <summary>
/// Cancel and resume: a run stopped after N steps, saved to one file, loaded and resumed ends bit for bit where the
/// uninterrupted run ends (weights, BatchNorm buffers, optimizer moments and step, history), for SGD with momentum and
/// Adam, per-epoch and per-batch schedules, dropout, generated and Sequential networks.
/// </summary>
public sealed class ResumeTests
{
    // 200 samples in batches of 32: 7 steps an epoch, the last of 8 samples.
    private static readonly Dataset Train = DigitsData.LoadEmbedded().Take(200);
    private static readonly Dataset Validation = DigitsData.LoadEmbedded().Skip(1500).Take(150);

    public static TheoryData<string> Runs => ["sgd-momentum-step-decay", "adam-warmup-cosine-per-batch", "nesterov-onecycle"];

    private static TrainingOptions OptionsFor(string run) => run switch
    {
        "sgd-momentum-step-decay" => new TrainingOptions(Epochs: 3, BatchSize: 32, new Sgd(0.05f, Momentum: 0.9f, WeightDecay: 1e-4f), Seed: 11)
        {
            Schedule = new StepDecay(1, Gamma: 0.5),
        },
        "adam-warmup-cosine-per-batch" => new TrainingOptions(Epochs: 3, BatchSize: 32, new Adam(3e-3f), Seed: 12)
        {
            Schedule = SequentialSchedule.WarmupThen(LinearRamp.Warmup(4, startFactor: 0.2), new CosineAnnealing(17)) with { Interval = ScheduleInterval.Batch },
            L2Penalty = 1e-4f,
        },
        _ => new TrainingOptions(Epochs: 3, BatchSize: 32, new Sgd(0.01f, Momentum: 0.8f, Nesterov: true), Seed: 13)
        {
            Schedule = new OneCycle(0.1, TotalSteps: 21),
        },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void AGeneratedNetworkStoppedTwiceAndResumedFromFilesEndsBitForBitAsTheUninterruptedRun(string run) =>
        AssertResumesBitForBit(new RunKind<ResumableNet>(
            ResumableNet.Initialize(seed: 5),
            (model, options, validation, progress, token) => Trainer.Fit(model, Train, options, validation, progress, token),
            TrainingCheckpoint.Load<ResumableNet>,
            model => model.Parameters.Values.ToArray()), OptionsFor(run));

    [Theory]
    [MemberData(nameof(Runs))]
    public void ASequentialNetworkStoppedTwiceAndResumedFromFilesEndsBitForBitAsTheUninterruptedRun(string run) =>
        AssertResumesBitForBit(new RunKind<SequentialNetwork>(
            ResumableNet.Twin.Initialize(seed: 5),
            (model, options, validation, progress, token) => Trainer.Fit(model, Train, options, validation, progress, token),
            path => TrainingCheckpoint.Load(ResumableNet.Twin, path),
            model => model.Parameters.Values.ToArray()), OptionsFor(run));

    [Fact]
    public void CancellingAfterAWholeEpochGivesTheOneEpochRunAndItsPosition()
    {
        TrainingOptions options = OptionsFor("sgd-momentum-step-decay");
        TrainingResult<ResumableNet> oneEpoch = Value(Trainer.Fit(ResumableNet.Initialize(5), Train, options with { Epochs = 1 }));

        using var cancel = new CancelAfter(7);
        TrainingResult<ResumableNet> stopped = Value(Trainer.Fit(ResumableNet.Initialize(5), Train, options, progress: cancel, cancellationToken: cancel.Token));

        Assert.True(stopped.Cancelled);
        Assert.False(stopped.Diverged);
        Assert.Equal("Cancelled in epoch 2 after 0 of its 7 steps (7 steps in all); the result's Checkpoint continues the run.", stopped.StopReason);
        BitAssert.Identical(oneEpoch.Model.Parameters.Values, stopped.Model.Parameters.Values, "model");
        BitAssert.Identical(oneEpoch.OptimizerState.FirstMoment, stopped.OptimizerState.FirstMoment, "momentum");
        TrainingCheckpoint<ResumableNet> checkpoint = stopped.Checkpoint!;
        Assert.Equal((2, 0, 7), (checkpoint.Epoch, checkpoint.Step, checkpoint.StepsTaken));
        Assert.Equal(oneEpoch.History.Select(Figures), checkpoint.History.Select(Figures));
    }

    [Fact]
    public void ATokenCancelledBeforeTheRunTakesNoStep()
    {
        ResumableNet initial = ResumableNet.Initialize(5);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        TrainingResult<ResumableNet> result = Value(Trainer.Fit(initial, Train, OptionsFor("nesterov-onecycle"), cancellationToken: cancelled.Token));

        Assert.True(result.Cancelled);
        Assert.Empty(result.History);
        Assert.Equal((1, 0, 0), (result.Checkpoint!.Epoch, result.Checkpoint.Step, result.Checkpoint.StepsTaken));
        BitAssert.Identical(initial.Parameters.Values, result.Model.Parameters.Values, "model");
    }

    [Fact]
    public void EarlyStoppingResumedMidRunStopsAtTheSameEpochWithTheSameBestModel()
    {
        // A rate high enough that the validation loss turns up within a few epochs.
        var options = new TrainingOptions(Epochs: 12, BatchSize: 32, new Adam(2e-2f), Seed: 3, Patience: 2);
        TrainingResult<ResumableNet> whole = Value(Trainer.Fit(ResumableNet.Initialize(2), Train, options, Validation));
        Assert.StartsWith("Early stopping after epoch ", whole.StopReason);

        // Stopped after the best epoch and before the stop: the best model travels through the file.
        int bestEpoch = whole.History.MinBy(epoch => epoch.ValidationLoss)!.Epoch;
        using var work = new TemporaryFolder();
        using var cancel = new CancelAfter((bestEpoch * 7) + 3);
        TrainingResult<ResumableNet> stopped = Value(Trainer.Fit(ResumableNet.Initialize(2), Train, options, Validation, cancel, cancel.Token));
        Assert.True(stopped.Cancelled, stopped.StopReason);
        Assert.Equal(bestEpoch, stopped.Checkpoint!.BestEpoch);
        Value(TrainingCheckpoint.Save(stopped.Checkpoint, work.File("run.safetensors")));
        TrainingResult<ResumableNet> resumed = Value(Trainer.Resume(Value(TrainingCheckpoint.Load<ResumableNet>(work.File("run.safetensors"))), Train, options, Validation));

        Assert.Equal(whole.StopReason, resumed.StopReason);
        BitAssert.Identical(whole.Model.Parameters.Values, resumed.Model.Parameters.Values, "best model");
        Assert.Equal(whole.History.Select(Figures), resumed.History.Select(Figures));
    }

    [Fact]
    public void HooksSaveEveryEpochAndKeepTheModelWithTheLowestValidationLoss()
    {
        using var work = new TemporaryFolder();
        // Early stopping makes sure the best epoch is not the last one, so the best file is not simply the final model.
        var options = new TrainingOptions(Epochs: 12, BatchSize: 32, new Adam(2e-2f), Seed: 3, Patience: 2)
        {
            AfterEpoch = [EpochHooks.SaveCheckpoint(work.File("run-{epoch}.safetensors")), EpochHooks.KeepBest(work.File("best.safetensors"))],
        };

        TrainingResult<ResumableNet> whole = Value(Trainer.Fit(ResumableNet.Initialize(2), Train, options, Validation));

        // The best file holds the model of the epoch with the lowest validation loss: the model a run of that many epochs ends with.
        int epochs = whole.History.Length, bestEpoch = whole.History.MinBy(epoch => epoch.ValidationLoss)!.Epoch;
        Assert.Equal(epochs - 2, bestEpoch);
        ResumableNet shortRun = Value(Trainer.Fit(ResumableNet.Initialize(2), Train, options with { Epochs = bestEpoch, AfterEpoch = [] }, Validation)).Model;
        BitAssert.Identical(shortRun.Parameters.Values, Value(Checkpoint.Load<ResumableNet>(work.File("best.safetensors"))).Parameters.Values, "best.safetensors");

        // One file per epoch run, and the second one resumes to the end of the run.
        Assert.Equal(
            Enumerable.Range(1, epochs).Select(epoch => $"run-{epoch}.safetensors").Order(),
            Directory.GetFiles(work.Path, "run-*").Select(Path.GetFileName).Order());
        TrainingCheckpoint<ResumableNet> second = Value(TrainingCheckpoint.Load<ResumableNet>(work.File("run-2.safetensors")));
        Assert.Equal((3, 0, 14), (second.Epoch, second.Step, second.StepsTaken));
        TrainingResult<ResumableNet> resumed = Value(Trainer.Resume(second, Train, options with { AfterEpoch = [] }, Validation));
        Assert.Equal(whole.StopReason, resumed.StopReason);
        BitAssert.Identical(whole.Model.Parameters.Values, resumed.Model.Parameters.Values, "resumed from run-2");
    }

    [Fact]
    public void ARunCanBeContinuedForMoreEpochsAsIfItHadAskedForThemAtFirst()
    {
        TrainingOptions options = OptionsFor("sgd-momentum-step-decay");
        TrainingResult<ResumableNet> three = Value(Trainer.Fit(ResumableNet.Initialize(5), Train, options));
        TrainingResult<ResumableNet> two = Value(Trainer.Fit(ResumableNet.Initialize(5), Train, options with { Epochs = 2 }));

        TrainingResult<ResumableNet> continued = Value(Trainer.Resume(two.Checkpoint!, Train, options));

        BitAssert.Identical(three.Model.Parameters.Values, continued.Model.Parameters.Values, "model");
        Assert.Equal(three.History.Select(Figures), continued.History.Select(Figures));
    }

    private static void AssertResumesBitForBit<TNet>(RunKind<TNet> kind, TrainingOptions options)
        where TNet : class
    {
        TrainingResult<TNet> whole = Value(kind.Fit(kind.Initial, options, null, null, CancellationToken.None));

        // Stopped mid-epoch 1 (after 5 steps), then mid-epoch 2 (after 13), each time through a file.
        using var work = new TemporaryFolder();
        using var first = new CancelAfter(5);
        TrainingResult<TNet> stopped = Value(kind.Fit(kind.Initial, options, null, first, first.Token));
        Assert.True(stopped.Cancelled);
        Assert.Equal((1, 5), (stopped.Checkpoint!.Epoch, stopped.Checkpoint.Step));
        Value(TrainingCheckpoint.Save(stopped.Checkpoint, work.File("first.safetensors")));

        using var second = new CancelAfter(8);
        stopped = Value(Trainer.Resume(Value(kind.Load(work.File("first.safetensors"))), Train, options, progress: second, cancellationToken: second.Token));
        Assert.True(stopped.Cancelled);
        Assert.Equal((2, 6, 13), (stopped.Checkpoint!.Epoch, stopped.Checkpoint.Step, stopped.Checkpoint.StepsTaken));
        Value(TrainingCheckpoint.Save(stopped.Checkpoint, work.File("second.safetensors")));

        // Prefetching is no part of the run's path: the last part gathers its batches in line.
        TrainingResult<TNet> resumed = Value(Trainer.Resume(Value(kind.Load(work.File("second.safetensors"))), Train, options with { Prefetch = false }));

        Assert.False(resumed.Cancelled);
        BitAssert.Identical(kind.Values(whole.Model), kind.Values(resumed.Model), "parameters and buffers");
        BitAssert.Identical(whole.OptimizerState.FirstMoment, resumed.OptimizerState.FirstMoment, "first moment");
        BitAssert.Identical(whole.OptimizerState.SecondMoment, resumed.OptimizerState.SecondMoment, "second moment");
        Assert.Equal(whole.OptimizerState.Step, resumed.OptimizerState.Step);
        Assert.Equal(whole.History.Select(Figures), resumed.History.Select(Figures));
    }

    // Everything an epoch reports but its timing.
    private static (int, float, float, float?, float?, float) Figures(EpochMetrics epoch) =>
        (epoch.Epoch, epoch.TrainLoss, epoch.TrainAccuracy, epoch.ValidationLoss, epoch.ValidationAccuracy, epoch.LearningRate);

    private static T Value<T>(Either<ConvGenError, T> result) => result.Match(Right: value => value, Left: error => throw new InvalidOperationException(error.Message));

    /// <summary>How to train and load one kind of network, so a test runs alike for generated and Sequential ones.</summary>
    private sealed record RunKind<TNet>(
        TNet Initial,
        Func<TNet, TrainingOptions, Dataset?, IProgress<TrainingEvent>?, CancellationToken, Either<ConvGenError, TrainingResult<TNet>>> Fit,
        Func<string, Either<ConvGenError, TrainingCheckpoint<TNet>>> Load,
        Func<TNet, float[]> Values)
        where TNet : class;
}

/// <summary>Cancels its token once a run reports its <c>steps</c>-th step: progress is reported in line, so the run stops before the next one.</summary>
internal sealed class CancelAfter(int steps) : IProgress<TrainingEvent>, IDisposable
{
    private readonly CancellationTokenSource source = new();
    private int seen;

    public CancellationToken Token => source.Token;

    public void Report(TrainingEvent value)
    {
        if (value is StepCompleted && ++seen == steps)
        {
            source.Cancel();
        }
    }

    public void Dispose() => source.Dispose();
}

/// <summary>Every piece a resumed run must restore: BatchNorm buffers (and their count), dropout, and a hidden layer.</summary>
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(4, Kernel = 3), BatchNorm2d, ReLU, MaxPool2d(2)]
[Flatten, Linear(36, 16), ReLU, Dropout(0.3), Linear(16, 10)]
public sealed partial record ResumableNet
{
    /// <summary>The same network composed at run time.</summary>
    public static Sequential Twin { get; } = Sequential.Create(
        (1, 8, 8),
        [new Conv2d(4) { Kernel = 3 }, new BatchNorm2d(), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(36, 16), new ReLU(), new Dropout(0.3), new Linear(16, 10)],
        nameof(ResumableNet)).Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("; ", errors)));
}
