using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// A run that diverges keeps the last model whose loss and values were all finite, and says so; what cannot train at
/// all (a non-finite starting model, non-finite pixels, a starting loss that is already infinite) is refused up front.
/// </summary>
public sealed class DivergenceTests
{
    private static readonly Dataset Train = DigitsData.LoadEmbedded().Split(0.8, seed: 3).First;

    public static TheoryData<string> HugeLearningRates => ["Adam(float.MaxValue)", "Adam(1e30)", "Sgd(1e30)"];

    [Theory]
    [MemberData(nameof(HugeLearningRates))]
    public void AHugeLearningRateKeepsTheLastModelWhoseLossAndValuesWereFinite(string optimizerName)
    {
        var options = new TrainingOptions(Epochs: 2, BatchSize: 16, Optimizer(optimizerName), Seed: 1);
        TinyDigitsNet start = TinyDigitsNet.Initialize(1);

        TrainingResult<TinyDigitsNet> result = Fit(start, options);

        Assert.True(result.Diverged);
        Assert.StartsWith("Training diverged in epoch 1, step ", result.StopReason);
        Assert.All(result.Model.Parameters.Values.ToArray(), value => Assert.True(float.IsFinite(value)));
        Assert.All(result.OptimizerState.FirstMoment.ToArray(), value => Assert.True(float.IsFinite(value)));
        // The kept model is one a replay of the same steps reaches, and its loss on the same data is finite.
        int kept = StepsKept(result.StopReason!);
        BitAssert.Identical(Replay(start, options, kept), result.Model.Parameters.Values, "the kept model");
        Assert.True(float.IsFinite(Evaluation.Evaluate(result.Model, Train).Loss));
        Assert.Equal(kept, result.OptimizerState.Step);
    }

    [Fact]
    public void AnUpdateThatOverflowsIsUndoneAndTheModelItStartedFromIsKept()
    {
        // Adam's first step moves every weight by about the learning rate: float.MaxValue overflows at once.
        var options = new TrainingOptions(Epochs: 1, BatchSize: 16, new Adam(float.MaxValue), Seed: 1);
        TinyDigitsNet start = TinyDigitsNet.Initialize(1);

        TrainingResult<TinyDigitsNet> result = Fit(start, options);

        Assert.Equal(
            "Training diverged in epoch 1, step 1: the loss was " + result.StopReason!.Split("the loss was ")[1].Split(' ')[0] +
            " but the update made values of the model non-finite. Kept the model that step started from (the starting model), " +
            "the last whose loss and values were finite; try a smaller learning rate.",
            result.StopReason);
        BitAssert.Identical(start.Parameters.Values, result.Model.Parameters.Values, "the kept model");
        Assert.Equal(0, result.OptimizerState.Step);
    }

    [Fact]
    public void AStartingModelWithANonFiniteValueIsRefusedNamingTheTensor()
    {
        float[] values = TinyDigitsNet.Initialize(1).Parameters.Values.ToArray();
        int fc1Bias = TinyDigitsNet.Layout.Parameters.Single(parameter => parameter.Name == "fc1.bias").Offset;
        values[fc1Bias + 3] = float.PositiveInfinity;
        TinyDigitsNet broken = TinyDigitsNet.FromParameters(ParameterSet.Create(TinyDigitsNet.Layout.Parameters, values));

        string error = Error(Trainer.Fit(broken, Train, new TrainingOptions(Epochs: 1)));

        Assert.Equal("TinyDigitsNet: the starting model holds a non-finite value (Infinity) in fc1.bias at index 3; training needs a finite model.", error);
    }

    [Fact]
    public void ANonFinitePixelIsReportedAsSuchNotAsALearningRate()
    {
        float[] pixels = Train.Images.ToArray();
        pixels[(5 * 64) + (2 * 8) + 7] = float.NaN;
        Dataset data = Dataset.Create("digits", pixels, Train.Labels, 1, 8, 8, 10).Match(Right: d => d, Left: e => throw new InvalidOperationException(e.Message));

        string error = Error(Trainer.Fit(TinyDigitsNet.Initialize(1), data, new TrainingOptions(Epochs: 1)));

        Assert.Equal("digits: sample 5 holds a non-finite pixel (NaN) at channel 0, row 2, column 7; training needs finite inputs.", error);
    }

    [Fact]
    public void AStartingModelWhoseLossIsAlreadyInfiniteLeavesNothingToKeep()
    {
        // Finite weights of 1e30 make logits of about 1e32 * 64 pixels: the cross-entropy overflows on the first batch.
        float[] values = new float[TinyDigitsNet.ParameterCount];
        Array.Fill(values, 1e30f);
        TinyDigitsNet huge = TinyDigitsNet.FromParameters(ParameterSet.Create(TinyDigitsNet.Layout.Parameters, values));

        string error = Error(Trainer.Fit(huge, Train, new TrainingOptions(Epochs: 1, BatchSize: 16)));

        Assert.StartsWith("Training diverged in epoch 1, step 1: the loss of the starting model is already ", error);
        Assert.EndsWith("so no model with a finite loss exists to keep; check the scale of the inputs and of the starting weights.", error);
    }

    [Fact]
    public void ASingleStepWhoseUpdateOverflowsIsAnError()
    {
        TinyDigitsNet model = TinyDigitsNet.Initialize(1);
        var adam = new Adam(float.MaxValue);

        string error = Error(TrainingStep.Apply(model, adam.CreateState(TinyDigitsNet.Layout.TrainableCount), adam, Train.Select([0, 1, 2, 3])));

        Assert.EndsWith("but the update made values of the model non-finite; the step was not taken.", error);
    }

    private static Optimizer Optimizer(string name) => name switch
    {
        "Adam(float.MaxValue)" => new Adam(float.MaxValue),
        "Adam(1e30)" => new Adam(1e30f),
        "Sgd(1e30)" => new Sgd(1e30f),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    // "(the starting model)", "(after 1 step)" or "(after N steps)" in the message.
    private static int StepsKept(string reason) =>
        reason.Contains("(the starting model)", StringComparison.Ordinal) ? 0
        : int.Parse(reason.Split("(after ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    // The same run stopped after `steps` steps, by the same trainer with fewer samples: the model it returns after exactly
    // that many steps of epoch 1. The steps of a run depend only on the seed and epoch, not on how many are taken.
    private static float[] Replay(TinyDigitsNet start, TrainingOptions options, int steps)
    {
        if (steps == 0)
        {
            return start.Parameters.Values.ToArray();
        }

        // Epoch 1's order with the count of samples the steps use, then one pure step per batch.
        Optimizer optimizer = options.EffectiveOptimizer;
        OptimizerState state = optimizer.CreateState(TinyDigitsNet.Layout.TrainableCount);
        int stepsPerEpoch = (Train.Count + options.BatchSize - 1) / options.BatchSize;
        int[] order = Dataset.Permutation(Train.Count, (int)ConvGen.Kernels.RandomHash.Mix((ulong)options.Seed, 1UL));
        TinyDigitsNet model = start;
        for (int step = 0; step < steps; step++)
        {
            int count = Math.Min(options.BatchSize, Train.Count - step * options.BatchSize);
            Dataset batch = Train.Select(order.AsSpan(step * options.BatchSize, count));
            ulong seed = ConvGen.Kernels.RandomHash.Mix((ulong)options.Seed, (ulong)step);
            (model, state, _) = TrainingStep.Apply(model, state, optimizer, batch, seed).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));
        }

        Assert.True(steps < stepsPerEpoch, "the replay covers epoch 1 only");
        return model.Parameters.Values.ToArray();
    }

    private static TrainingResult<TinyDigitsNet> Fit(TinyDigitsNet model, TrainingOptions options) =>
        Trainer.Fit(model, Train, options).Match(Right: result => result, Left: error => throw new InvalidOperationException(error.Message));

    private static string Error<T>(LanguageExt.Either<ConvGenError, T> result) =>
        result.Match(Right: _ => throw new InvalidOperationException("expected an error"), Left: error => error.Message);
}
