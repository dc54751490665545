using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>A small sequence classifier: two Conv1d layers over 2 x 20, then log-probabilities of three classes.</summary>
[Network(InputChannels = 2, InputLength = 20)]
[Conv1d(8, Kernel = 5, Padding = 2), ReLU, Conv1d(8, Kernel = 3, Stride = 2, Padding = 1), ReLU]
[Flatten, Linear(80, 3), LogSoftmax]
public sealed partial record BumpNet;

/// <summary>Training as a function: settings checked first, values never mutated, same seed same weights, NaN stops the run.</summary>
public sealed class TrainerTests
{
    private static readonly Dataset Digits = DigitsData.LoadEmbedded();

    private static (Dataset Train, Dataset Test) Split() => Digits.Split(0.8, seed: 3);

    [Fact]
    public void TrainingLowersTheLossAndLearnsSomething()
    {
        (Dataset train, Dataset test) = Split();
        TinyDigitsNet initial = TinyDigitsNet.Initialize(seed: 1);
        float before = Evaluation.Evaluate(initial, test).Loss;

        TrainingResult<TinyDigitsNet> result = Fit(initial, train, new TrainingOptions(Epochs: 3, BatchSize: 16, new Adam(1e-2f), Seed: 1));

        EvaluationResult after = Evaluation.Evaluate(result.Model, test);
        Assert.True(after.Loss < before * 0.5f, $"loss {before} -> {after.Loss}");
        Assert.True(after.Accuracy > 0.8f, $"accuracy {after.Accuracy}");
        Assert.Equal(3, result.History.Length);
        Assert.Null(result.StopReason);
    }

    [Fact]
    public void TheModelPassedInIsNeverChanged()
    {
        TinyDigitsNet initial = TinyDigitsNet.Initialize(seed: 2);
        float[] before = initial.Parameters.Values.ToArray();

        TrainingResult<TinyDigitsNet> result = Fit(initial, Split().Train, new TrainingOptions(Epochs: 1));

        Assert.Equal(before, initial.Parameters.Values.ToArray());
        Assert.NotEqual(before, result.Model.Parameters.Values.ToArray());
    }

    [Fact]
    public void TheSameSeedGivesBitIdenticalWeights()
    {
        var options = new TrainingOptions(Epochs: 1, BatchSize: 8, Seed: 42);
        float[] first = Fit(TinyDigitsNet.Initialize(4), Split().Train, options).Model.Parameters.Values.ToArray();
        float[] second = Fit(TinyDigitsNet.Initialize(4), Split().Train, options).Model.Parameters.Values.ToArray();
        float[] otherSeed = Fit(TinyDigitsNet.Initialize(4), Split().Train, options with { Seed = 43 }).Model.Parameters.Values.ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Theory]
    [InlineData(0, 32, 1e-3f, "Epochs must be at least 1, got 0.")]
    [InlineData(1, 0, 1e-3f, "The batch size must be at least 1, got 0.")]
    [InlineData(1, 32, -0.1f, "Adam: the learning rate must be a positive number, got -0.1.")]
    [InlineData(1, 32, float.NaN, "Adam: the learning rate must be a positive number, got NaN.")]
    public void InvalidSettingsAreRefusedBeforeTraining(int epochs, int batchSize, float learningRate, string message)
    {
        var options = new TrainingOptions(epochs, batchSize, new Adam(learningRate));

        string error = TinyDigitsNet.Initialize(0).Let(model => Trainer.Fit(model, Split().Train, options))
            .Match(Right: _ => "trained", Left: failure => failure.Message);

        Assert.Equal(message, error);
    }

    [Fact]
    public void DataOfTheWrongShapeIsRefusedNamingBothShapes()
    {
        Dataset wrong = Dataset.Create("wrong.csv", new float[2 * 3 * 3], [0, 1], 1, 3, 3, 10).Match(d => d, e => throw new InvalidOperationException(e.Message));

        string error = Trainer.Fit(TinyDigitsNet.Initialize(0), wrong, new TrainingOptions(Epochs: 1))
            .Match(Right: _ => "trained", Left: failure => failure.Message);

        Assert.Equal("wrong.csv: TinyDigitsNet takes 1x8x8 inputs but the samples are 1x3x3.", error);
    }

    [Fact]
    public void ASequenceNetworkTrainsOnSamplesHeldAsChannelsByOneByLength()
    {
        // Three classes of 2 x 20 sequences: a bump on channel 0 early, in the middle or late, over noise.
        var random = new Random(4);
        const int count = 240, channels = 2, length = 20;
        float[] values = new float[count * channels * length];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n % 3;
            for (int i = 0; i < channels * length; i++)
            {
                values[n * channels * length + i] = 0.3f * (random.NextSingle() - 0.5f);
            }

            for (int t = 0; t < 5; t++)
            {
                values[n * channels * length + 2 + labels[n] * 6 + t] += 1f;
            }
        }

        Dataset sequences = Dataset.Create("bumps", values, labels, channels, 1, length, 3).Match(d => d, e => throw new InvalidOperationException(e.Message));
        (Dataset train, Dataset test) = sequences.Split(0.75, seed: 1);
        var options = new TrainingOptions(Epochs: 15, BatchSize: 16, new Adam(1e-2f), Seed: 2) { Loss = TrainingLoss.Nll };

        TrainingResult<BumpNet> result = Trainer.Fit(BumpNet.Initialize(3), train, options)
            .Match(Right: r => r, Left: failure => throw new InvalidOperationException(failure.Message));

        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss / 2, $"loss {result.History[0].TrainLoss} -> {result.History[^1].TrainLoss}");
        Assert.True(Evaluation.Evaluate(result.Model, test, loss: TrainingLoss.Nll).Accuracy >= 0.9f);
    }

    [Fact]
    public void SequencesOfTheWrongLengthAreRefusedNamingBothShapes()
    {
        Dataset wrong = Dataset.Create("short.csv", new float[2 * 2 * 5], [0, 1], 2, 1, 5, 3).Match(d => d, e => throw new InvalidOperationException(e.Message));

        string error = Trainer.Fit(SequenceNet.Initialize(0), wrong, new TrainingOptions(Epochs: 1) { Loss = TrainingLoss.Nll })
            .Match(Right: _ => "trained", Left: failure => failure.Message);

        Assert.Equal("short.csv: SequenceNet takes 2x20 (held in a dataset as 2x1x20) inputs but the samples are 2x1x5.", error);
    }

    [Fact]
    public void ADivergingLossStopsTheRunAndKeepsTheLastFiniteModel()
    {
        // A learning rate of 1e30 overflows the weights within a few steps.
        var options = new TrainingOptions(Epochs: 2, BatchSize: 16, new Sgd(1e30f), Seed: 1);

        TrainingResult<TinyDigitsNet> result = Fit(TinyDigitsNet.Initialize(1), Split().Train, options);

        Assert.True(result.Diverged);
        Assert.StartsWith("Training diverged in epoch 1, step ", result.StopReason);
        Assert.Empty(result.History);
        foreach (float value in result.Model.Parameters.Values)
        {
            Assert.True(float.IsFinite(value), "the kept model holds a non-finite weight");
        }
    }

    [Fact]
    public void EarlyStoppingKeepsTheModelWithTheBestValidationLoss()
    {
        (Dataset train, Dataset test) = Split();
        // A learning rate this high makes the validation loss worse after its first epochs.
        var options = new TrainingOptions(Epochs: 12, BatchSize: 16, new Adam(0.05f), Seed: 1, Patience: 2);

        TrainingResult<TinyDigitsNet> result = Trainer.Fit(TinyDigitsNet.Initialize(1), train, options, validation: test)
            .Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));

        EpochMetrics bestEpoch = result.History.MinBy(epoch => epoch.ValidationLoss!.Value)!;
        Assert.True(result.History.Length < 12, "expected the run to stop early");
        Assert.Equal(
            $"Early stopping after epoch {result.History.Length}: the validation loss has not improved for 2 epochs; keeping epoch {bestEpoch.Epoch}'s model.",
            result.StopReason);
        Assert.Equal(bestEpoch.ValidationLoss!.Value, Evaluation.Evaluate(result.Model, test).Loss, 5);
    }

    [Fact]
    public void TheConfusionMatrixAddsUpToTheAccuracy()
    {
        (Dataset train, Dataset test) = Split();
        TinyDigitsNet model = Fit(TinyDigitsNet.Initialize(1), train, new TrainingOptions(Epochs: 2, BatchSize: 16, new Adam(1e-2f), Seed: 1)).Model;

        EvaluationResult result = Evaluation.Evaluate(model, test);

        int diagonal = Enumerable.Range(0, 10).Sum(c => result.Confusion[c, c]);
        int total = Enumerable.Range(0, 100).Sum(i => result.Confusion[i / 10, i % 10]);
        Assert.Equal(result.Correct, diagonal);
        Assert.Equal(test.Count, total);
        for (int c = 0; c < 10; c++)
        {
            int inClass = test.Labels.ToArray().Count(label => label == c);
            Assert.Equal((float)result.Confusion[c, c] / inClass, result.Confusion.PerClassAccuracy[c], 6);
        }
    }

    [Fact]
    public void DropLastSkipsThePartialBatch()
    {
        Dataset train = Split().Train; // 1,437 samples: 89 full batches of 16 and 13 left over
        var options = new TrainingOptions(Epochs: 1, BatchSize: 16, Seed: 1, DropLast: true);
        var steps = new List<StepCompleted>();

        Trainer.Fit(TinyDigitsNet.Initialize(1), train, options, progress: new Recorder(steps));

        Assert.Equal(89, steps.Count);
        Assert.All(steps, step => Assert.Equal(89, step.StepsPerEpoch));
    }

    [Fact]
    public void AStepIsAPureFunctionOfModelStateAndBatch()
    {
        Dataset batch = Split().Train.Select(Enumerable.Range(0, 32).ToArray());
        TinyDigitsNet model = TinyDigitsNet.Initialize(5);
        var adam = new Adam(1e-2f);
        OptimizerState state = adam.CreateState(model.Parameters.Count);
        float[] before = model.Parameters.Values.ToArray();

        var first = TrainingStep.Apply(model, state, adam, batch, seed: 3).Match(r => r, e => throw new InvalidOperationException(e.Message));
        var again = TrainingStep.Apply(model, state, adam, batch, seed: 3).Match(r => r, e => throw new InvalidOperationException(e.Message));
        var second = TrainingStep.Apply(first.Model, first.State, adam, batch, seed: 3).Match(r => r, e => throw new InvalidOperationException(e.Message));

        Assert.Equal(before, model.Parameters.Values.ToArray());
        Assert.Equal(0, state.Step);
        Assert.Equal(first.Model.Parameters.Values.ToArray(), again.Model.Parameters.Values.ToArray());
        Assert.Equal(1, first.State.Step);
        Assert.Equal(2, second.State.Step);
        Assert.True(second.Loss < first.Loss, $"loss {first.Loss} then {second.Loss}");
    }

    private sealed class Recorder(List<StepCompleted> steps) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value)
        {
            if (value is StepCompleted step)
            {
                steps.Add(step);
            }
        }
    }

    private static TrainingResult<TinyDigitsNet> Fit(TinyDigitsNet model, Dataset train, TrainingOptions options) =>
        Trainer.Fit(model, train, options).Match(Right: result => result, Left: error => throw new InvalidOperationException(error.Message));
}

internal static class FunctionalExtensions
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> function) => function(value);
}
