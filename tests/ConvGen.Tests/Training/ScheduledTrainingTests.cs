using ConvGen.Data;
using ConvGen.Tests.Numerics;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// A schedule steers the rate each training step actually uses: checked against PyTorch's rates (the schedule fixtures)
/// through plain SGD, whose update is exactly the rate times the gradient.
/// </summary>
public sealed class ScheduledTrainingTests
{
    private static readonly Dataset Digits = DigitsData.LoadEmbedded();

    [Fact]
    public void EachStepsUpdateIsPyTorchsScheduledRateTimesTheGradient()
    {
        // One sample, batch 1: one step per epoch, so the per-epoch schedule changes the rate at every step.
        Dataset one = First(1);
        (double baseRate, double[] allRates) = ScheduleFixtureTests.Rates("warmup_then_cosine");
        // The cosine reaches 0 at step 13, a rate a hand-made Sgd refuses: the steps before it.
        double[] rates = allRates[..13];
        var schedule = SequentialSchedule.WarmupThen(LinearRamp.Warmup(3, startFactor: 0.1), new CosineAnnealing(10));
        var options = new TrainingOptions(Epochs: rates.Length, BatchSize: 1, new Sgd((float)baseRate), Seed: 5) { Schedule = schedule };
        var events = new EventLog();

        TrainingResult<TinyDigitsNet> result = Fit(TinyDigitsNet.Initialize(seed: 3), one, options, events);

        // The same steps by hand, each an SGD step at PyTorch's rate for that step.
        TinyDigitsNet model = TinyDigitsNet.Initialize(seed: 3);
        for (int step = 0; step < rates.Length; step++)
        {
            float rate = (float)rates[step];
            float[] before = model.Parameters.Values.ToArray();
            float[] gradient = Gradient(model, one);
            model = Step(model, new Sgd(rate), one);
            float[] change = before.Zip(model.Parameters.Values.ToArray(), (old, updated) => old - updated).ToArray();
            AssertClose(gradient.Select(value => rate * value).ToArray(), change, $"step {step}");
        }

        Assert.Equal(model.Parameters.Values.ToArray(), result.Model.Parameters.Values.ToArray());
        Assert.Equal(rates.Select(rate => (float)rate), events.Steps.Select(step => step.LearningRate));
        Assert.Equal(rates.Select(rate => (float)rate), result.History.Select(epoch => epoch.LearningRate));
    }

    [Fact]
    public void APerBatchScheduleCountsStepsAcrossEpochs()
    {
        // 14 samples in batches of 2: 7 steps an epoch, 21 in all, as the fixture's OneCycleLR(epochs=3, steps_per_epoch=7).
        (_, double[] rates) = ScheduleFixtureTests.Rates("onecycle_epochs_times_steps");
        var schedule = new OneCycle(0.1, TotalSteps: 21, PercentStart: 0.2, DivFactor: 5);
        var events = new EventLog();

        TrainingResult<TinyDigitsNet> result = Fit(
            TinyDigitsNet.Initialize(seed: 4), First(14), new TrainingOptions(Epochs: 3, BatchSize: 2, new Sgd(0.01f)) { Schedule = schedule }, events);

        Assert.Equal(ScheduleInterval.Batch, schedule.Interval);
        Assert.Equal(rates.Select(rate => (float)rate), events.Steps.Select(step => step.LearningRate));
        Assert.Equal([(float)rates[6], (float)rates[13], (float)rates[20]], result.History.Select(epoch => epoch.LearningRate));
    }

    [Fact]
    public void APerEpochScheduleHoldsItsRateThroughTheEpoch()
    {
        // 14 samples in batches of 4: 4 steps an epoch (the last of 2 samples), all at the epoch's rate.
        (double baseRate, double[] rates) = ScheduleFixtureTests.Rates("step_every_3_half");
        var options = new TrainingOptions(Epochs: 7, BatchSize: 4, new Sgd((float)baseRate)) { Schedule = new StepDecay(3, Gamma: 0.5) };
        var events = new EventLog();

        Fit(TinyDigitsNet.Initialize(seed: 4), First(14), options, events);

        Assert.Equal(rates.Take(7).SelectMany(rate => Enumerable.Repeat((float)rate, 4)), events.Steps.Select(step => step.LearningRate));
    }

    [Fact]
    public void ScheduledTrainingIsBitReproducibleAndTheScheduleMatters()
    {
        var options = new TrainingOptions(Epochs: 2, BatchSize: 8, new Sgd(0.05f, Momentum: 0.9f), Seed: 7)
        {
            Schedule = SequentialSchedule.WarmupThen(LinearRamp.Warmup(10), new CosineAnnealing(30)) with { Interval = ScheduleInterval.Batch },
        };
        Dataset data = First(160);

        float[] first = Fit(TinyDigitsNet.Initialize(6), data, options).Model.Parameters.Values.ToArray();
        float[] second = Fit(TinyDigitsNet.Initialize(6), data, options).Model.Parameters.Values.ToArray();
        float[] unscheduled = Fit(TinyDigitsNet.Initialize(6), data, options with { Schedule = null }).Model.Parameters.Values.ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, unscheduled);
    }

    [Theory]
    [InlineData(20, "OneCycle: the run takes 21 scheduled steps but the cycle has 20; set TotalSteps to the epochs times the steps per epoch.")]
    [InlineData(0, "OneCycle: the total number of steps must be at least 1, got 0.")]
    public void AScheduleThatCannotCoverTheRunIsAnError(int totalSteps, string message)
    {
        var options = new TrainingOptions(Epochs: 3, BatchSize: 2, new Sgd(0.01f)) { Schedule = new OneCycle(0.1, totalSteps) };

        string error = Trainer.Fit(TinyDigitsNet.Initialize(1), First(14), options).Match(Right: _ => "trained", Left: problem => problem.Message);

        Assert.Equal(message, error);
    }

    private static Dataset First(int count)
    {
        int size = Digits.SampleSize;
        return Dataset.Create($"first {count} digits", Digits.Images[..(count * size)].ToArray(), Digits.Labels[..count].ToArray(), 1, 8, 8, 10)
            .Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
    }

    // The loss gradient at the model: one SGD step of rate 1 computed in double from the same gradient the engine computes.
    private static float[] Gradient(TinyDigitsNet model, Dataset batch)
    {
        float[] before = model.Parameters.Values.ToArray();
        float[] after = Step(model, new Sgd(1f), batch).Parameters.Values.ToArray();
        return before.Zip(after, (old, updated) => old - updated).ToArray();
    }

    private static TinyDigitsNet Step(TinyDigitsNet model, Sgd optimizer, Dataset batch) =>
        TrainingStep.Apply(model, optimizer.CreateState(TinyDigitsNet.Layout.TrainableCount), optimizer, batch)
            .Match(Right: step => step.Model, Left: error => throw new InvalidOperationException(error.Message));

    // Relative to the size of the whole update: the rate-1 gradient carries rounding of the weights' size.
    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        double scale = Math.Sqrt(expected.Sum(value => (double)value * value));
        double error = Math.Sqrt(expected.Zip(actual, (e, a) => (double)(e - a) * (e - a)).Sum());
        Assert.True(scale > 0 && error <= 1e-3 * scale, $"{what}: the update differs from rate x gradient by {error} of {scale}.");
    }

    private static TrainingResult<TinyDigitsNet> Fit(TinyDigitsNet model, Dataset train, TrainingOptions options, IProgress<TrainingEvent>? progress = null) =>
        Trainer.Fit(model, train, options, progress: progress).Match(Right: result => result, Left: error => throw new InvalidOperationException(error.Message));

    /// <summary>Keeps every step event, synchronously (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class EventLog : IProgress<TrainingEvent>
    {
        public List<StepCompleted> Steps { get; } = [];

        public void Report(TrainingEvent value)
        {
            if (value is StepCompleted step)
            {
                Steps.Add(step);
            }
        }
    }
}
