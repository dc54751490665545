using ConvGen.Data;
using ConvGen.Layers;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>Predicts one number from an 8x8 digit image: the regression twin of the digits classifier.</summary>
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(16, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Flatten, Linear(256, 32), ReLU, Linear(32, 1)]
public sealed partial record DigitValueNet;

/// <summary>
/// Datasets of float targets (as PyTorch's <c>TensorDataset</c>) end to end: building and slicing them, the checks
/// before training, regression and multi-label learning on the embedded digits for generated and <see cref="Sequential"/>
/// networks, the metrics reported as the run goes against the same metrics computed here from the outputs, and
/// bit-identical runs with prefetching on and off.
/// </summary>
public sealed class FloatTargetTrainingTests
{
    private static readonly Dataset Digits = DigitsData.LoadEmbedded();

    [Fact]
    public void ADatasetOfFloatTargetsSlicesAndNormalizesWithItsTargets()
    {
        // Three 1x1x2 samples, two targets each.
        Dataset data = Right(Dataset.CreateWithTargets("pairs", [1, 2, 3, 4, 5, 6], [0.5f, -1, 1.5f, -2, 2.5f, -3], targetSize: 2, channels: 1, height: 1, width: 2));

        Dataset selected = data.Select([2, 0]);
        Dataset normalized = Right(data.Normalize(1f, 2f));

        Assert.Equal("pairs: 3 samples of 1x1x2, 2 float targets each", data.ToString());
        Assert.True(data.HasFloatTargets);
        Assert.Equal(0, data.Classes);
        Assert.True(data.Labels.IsEmpty);
        Assert.Equal([5f, 6f, 1f, 2f], selected.Images.ToArray());
        Assert.Equal([2.5f, -3f, 0.5f, -1f], selected.Targets.ToArray());
        Assert.Equal(2, selected.Count);
        Assert.Equal([2.5f, -3f], data.Skip(2).Targets.ToArray());
        Assert.Equal(data.Targets.ToArray(), normalized.Targets.ToArray());
        Assert.Equal([0f, 0.5f, 1f, 1.5f, 2f, 2.5f], normalized.Images.ToArray());
        (Dataset first, Dataset second) = data.Split(0.5, seed: 1);
        Assert.Equal(
            data.Targets.ToArray().Order(),
            first.Targets.ToArray().Concat(second.Targets.ToArray()).Order());
        Assert.False(Digits.HasFloatTargets);
        Assert.Equal(0, Digits.TargetSize);
    }

    [Theory]
    [InlineData(new float[] { 1, 2, 3, 4 }, new float[] { 1, 2, 3 }, 1, "pairs: 2 samples need 2 target values (1 each) but there are 3.")]
    [InlineData(new float[] { 1, 2, 3 }, new float[] { 1 }, 1, "pairs: 3 pixel values are not a whole number of 1x1x2 samples (2 values each).")]
    [InlineData(new float[] { 1, 2, 3, 4 }, new float[] { 1, 2, 3, float.NaN }, 2, "pairs: sample 1 has a non-finite target (NaN) at index 1; targets must be finite.")]
    [InlineData(new float[] { 1, 2 }, new float[] { }, 0, "pairs: a sample shape of 1x1x2 with 0 targets each is not valid.")]
    public void TargetsThatDoNotFitTheSamplesAreRefused(float[] images, float[] targets, int targetSize, string message)
    {
        Assert.Equal(message, Dataset.CreateWithTargets("pairs", images, targets, targetSize, channels: 1, height: 1, width: 2).Match(Right: _ => "created", Left: error => error.Message));
    }

    [Fact]
    public void TargetsThatDoNotFitTheLossOrTheNetworkAreRefusedBeforeTraining()
    {
        Dataset values = Values(Digits.Take(40), label => label / 2f);
        Dataset pairs = Right(Digits.Take(40).WithTargets(new float[80], 2));
        var options = new TrainingOptions(Epochs: 1) { Loss = TrainingLoss.Mse };

        Assert.Equal(
            "embedded digits.csv.gz (first 40): holds float targets, but TrainingLoss.CrossEntropy takes class labels; train float targets with TrainingLoss.Mse (values to regress) or TrainingLoss.BceWithLogits (a 0 or 1 per label).",
            FitError(values, options with { Loss = TrainingLoss.CrossEntropy }));
        Assert.Equal(
            "embedded digits.csv.gz (first 40): sample 3 has target 1.5 at index 0, but TrainingLoss.BceWithLogits takes targets in [0, 1] (1 where a label applies).",
            FitError(values, options with { Loss = TrainingLoss.BceWithLogits }));
        Assert.Equal(
            "embedded digits.csv.gz (first 40): has 2 targets per sample but DigitValueNet produces 1 outputs; each output is compared with one target.",
            FitError(pairs, options));
        Assert.Equal(
            "embedded digits.csv.gz (first 40) holds 1 float targets per sample but embedded digits.csv.gz (first 10) holds class labels; validate on the kind of target the model trains on.",
            FitError(values, options, validation: Digits.Take(10)));
        Assert.Equal(
            "embedded digits.csv.gz (first 40): holds float targets, but TrainingLoss.CrossEntropy takes class labels; train float targets with TrainingLoss.Mse (values to regress) or TrainingLoss.BceWithLogits (a 0 or 1 per label).",
            Assert.Throws<ArgumentException>(() => Evaluation.Evaluate(DigitValueNet.Initialize(1), values)).Message.Split(" (Parameter")[0]);
    }

    [Fact]
    public void RegressionOnTheDigitsLearnsTheirValueAndReportsMseAndMae()
    {
        (Dataset train, Dataset test) = Values(Digits, label => label).Split(0.8, seed: 7);
        var options = new TrainingOptions(Epochs: 30, BatchSize: 32, new Adam(3e-3f), Seed: 7) { Loss = TrainingLoss.Mse };

        TrainingResult<DigitValueNet> result = Right(Trainer.Fit(DigitValueNet.Initialize(seed: 7), train, options, validation: test));
        EvaluationResult evaluated = Evaluation.Evaluate(result.Model, test, loss: TrainingLoss.Mse);

        // MSE and MAE from the outputs, computed here.
        float[] outputs = result.Model.Predict(test.Images, test.Count);
        double squared = 0, absolute = 0;
        for (int n = 0; n < test.Count; n++)
        {
            double error = outputs[n] - test.Targets[n];
            squared += error * error;
            absolute += Math.Abs(error);
        }

        Assert.Equal(squared / test.Count, evaluated.Loss, 1e-4);
        Assert.Equal(absolute / test.Count, evaluated.MeanAbsoluteError!.Value, 1e-4);
        Assert.True(float.IsNaN(evaluated.Accuracy));
        EpochMetrics last = result.History[^1];
        Assert.Equal(evaluated.Loss, last.ValidationLoss);
        Assert.Equal(evaluated.MeanAbsoluteError, last.ValidationMeanAbsoluteError);
        Assert.True(float.IsNaN(last.TrainAccuracy));
        Assert.NotNull(last.TrainMeanAbsoluteError);

        // Always answering the training mean is off by about 2.5 on average; the network must do far better.
        float mean = train.Targets.ToArray().Average();
        double baseline = test.Targets.ToArray().Average(target => Math.Abs(target - mean));
        Assert.True(baseline > 2, $"baseline MAE {baseline}");
        Assert.True(evaluated.MeanAbsoluteError < Math.Min(1.0, baseline / 2), $"test MAE {evaluated.MeanAbsoluteError} against {baseline} for the mean");
        Assert.True(result.History[^1].TrainMeanAbsoluteError < result.History[0].TrainMeanAbsoluteError);
    }

    [Fact]
    public void MultiLabelOnTheDigitsLearnsEachLabelWithASequential()
    {
        // Three labels per digit at once: even, five or more, drawn with a closed loop (0, 4, 6, 8, 9).
        Dataset labelled = Right(Digits.WithTargets(
            [.. Digits.Labels.ToArray().SelectMany(digit => new[] { digit % 2 == 0 ? 1f : 0f, digit >= 5 ? 1f : 0f, digit is 0 or 4 or 6 or 8 or 9 ? 1f : 0f })],
            targetSize: 3));
        (Dataset train, Dataset test) = labelled.Split(0.8, seed: 3);
        Layer[] layers = [new Conv2d(16) { Kernel = 3, Padding = 1 }, new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(256, 32), new ReLU(), new Linear(32, 3)];
        SequentialNetwork network = Sequential.Create((1, 8, 8), layers, name: "DigitTraits")
            .Match(Succ: sequential => sequential, Fail: errors => throw new InvalidOperationException(errors.Head.Message)).Initialize(seed: 3);
        var options = new TrainingOptions(Epochs: 12, BatchSize: 32, new Adam(2e-3f), Seed: 3) { Loss = TrainingLoss.BceWithLogits };

        TrainingResult<SequentialNetwork> result = Right(Trainer.Fit(network, train, options, validation: test));
        EvaluationResult evaluated = Evaluation.Evaluate(result.Model, test, loss: TrainingLoss.BceWithLogits);

        // Per-label accuracy from the logits, computed here: a logit above 0 says the label applies.
        float[] logits = Inference.Predict(result.Model, test.Images, test.Count);
        int right = Enumerable.Range(0, logits.Length).Count(i => logits[i] > 0 == test.Targets[i] > 0.5f);
        Assert.Equal(test.Count * 3, evaluated.Count);
        Assert.Equal(right, evaluated.Correct);
        for (int label = 0; label < 3; label++)
        {
            int rightForLabel = Enumerable.Range(0, test.Count).Count(n => logits[(n * 3) + label] > 0 == test.Targets[(n * 3) + label] > 0.5f);
            Assert.Equal((float)rightForLabel / test.Count, evaluated.PerLabelAccuracy[label]);
        }

        Assert.Equal(evaluated.Accuracy, result.History[^1].ValidationAccuracy);
        Assert.Null(evaluated.MeanAbsoluteError);
        Assert.True(evaluated.Accuracy > 0.9f, $"per-label accuracy {evaluated.Accuracy}");
        Assert.Equal(0, evaluated.Confusion.Classes);
    }

    [Fact]
    public void PrefetchingOnAndOffGiveBitIdenticalRunsOnFloatTargets()
    {
        Dataset train = Values(Digits.Take(200), label => label * 0.1f);
        var options = new TrainingOptions(Epochs: 2, BatchSize: 24, new Adam(1e-3f), Seed: 5) { Loss = TrainingLoss.Mse };

        TrainingResult<DigitValueNet> prefetched = Right(Trainer.Fit(DigitValueNet.Initialize(seed: 5), train, options));
        TrainingResult<DigitValueNet> inLine = Right(Trainer.Fit(DigitValueNet.Initialize(seed: 5), train, options with { Prefetch = false }));

        BitAssert.Identical(prefetched.Model.Parameters.Values, inLine.Model.Parameters.Values, "weights with prefetching on and off");
        Assert.Equal(prefetched.History.Select(epoch => epoch.TrainMeanAbsoluteError), inLine.History.Select(epoch => epoch.TrainMeanAbsoluteError));
    }

    // The digits with one float target per image, from its class.
    private static Dataset Values(Dataset digits, Func<int, float> value) =>
        Right(digits.WithTargets([.. digits.Labels.ToArray().Select(value)], targetSize: 1));

    private static string FitError(Dataset train, TrainingOptions options, Dataset? validation = null) =>
        Trainer.Fit(DigitValueNet.Initialize(seed: 1), train, options, validation).Match(Right: _ => "trained", Left: error => error.Message);

    private static T Right<T>(LanguageExt.Either<ConvGenError, T> result) =>
        result.Match(Right: value => value, Left: error => throw new InvalidOperationException(error.Message));
}
