using ConvGen.Data;
using ConvGen.Layers;
using ConvGen.Tests.Numerics;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// Training on float targets against PyTorch 1.13 (<c>tools/fixtures/make_target_fixtures.py</c>): regression with MSE and
/// multi-label with BCE on logits or on probabilities, each for the generated network and for the same layers as a
/// <see cref="Sequential"/>: the first step's loss and every parameter's gradient, six full-batch steps of SGD or Adam,
/// and the metrics of the final model (MSE and MAE; per-label accuracy).
/// </summary>
public sealed class FloatTargetFixtureTests
{
    private const string Family = "float_target_training";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_generated_network_trains_as_PyTorch_does(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        if (fixture.Text("loss") == "bce")
        {
            Check(NetworkDefinition.Of<L2PenaltySigmoidNet>(), fixture);
        }
        else
        {
            Check(NetworkDefinition.Of<L2PenaltyNet>(), fixture);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_same_layers_as_a_Sequential_train_as_PyTorch_does(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        Layer[] layers = [new Conv2d(3) { Kernel = 3 }, new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(12, 4)];
        Sequential network = Sequential.Create((1, 6, 6), fixture.Text("loss") == "bce" ? [.. layers, new Sigmoid()] : layers)
            .Match(Succ: sequential => sequential, Fail: errors => throw new InvalidOperationException(string.Join("; ", errors.Select(error => error.Message))));

        Check(network.Definition, fixture);
    }

    private static void Check<TNet>(NetworkDefinition<TNet> definition, FixtureCase fixture)
        where TNet : class
    {
        NetworkLayout layout = definition.Layout;
        TrainingLoss loss = LossOf(fixture);
        FixtureTensor images = fixture.Tensor("images"), targets = fixture.Tensor("targets"), losses = fixture.Tensor("losses"), trajectory = fixture.Tensor("parameters");
        int samples = images.Shape[0], steps = losses.Shape[0];
        NumericAssert.ShapeIs(targets, [samples, layout.OutputSize], "targets");
        Dataset data = Dataset.CreateWithTargets("fixture", images.Values, targets.Values, layout.OutputSize, 1, 6, 6)
            .Match(dataset => dataset, error => throw new InvalidDataException(error.Message));
        TNet initial = Model(definition, fixture.Tensor("initial").Values);

        // One plain SGD step at rate 1 moves every parameter by minus its gradient.
        var sgd = new Sgd(1f);
        (TNet stepped, _, float firstLoss) = TrainingStep.Apply(definition, initial, sgd.CreateState(layout.TrainableCount), sgd, data, seed: 0, loss, l2Penalty: 0f)
            .Match(result => result, error => throw new InvalidOperationException(error.Message));
        Assert.True(NumericAssert.IsClose(firstLoss, losses.Values[0], 1e-5), $"first loss {firstLoss}, PyTorch's {losses.Values[0]}");
        float[] before = definition.ParametersOf(initial).Values.ToArray(), after = definition.ParametersOf(stepped).Values.ToArray();
        float[] gradient = [.. before.Select((value, i) => value - after[i])];
        NumericAssert.Matches(fixture.Tensor("first_gradient"), [layout.ParameterCount], gradient, "gradient of the first step", NumericAssert.OptimizerTolerance);

        // Full batch, so each epoch is one step and the model after k epochs is PyTorch's after step k.
        var options = new TrainingOptions(Epochs: steps, BatchSize: samples, Mirror(fixture)) { Loss = loss };
        TrainingResult<TNet> run = Fit(definition, initial, data, options);
        NumericAssert.Matches(losses, [steps], run.History.Select(epoch => epoch.TrainLoss).ToArray(), "losses", NumericAssert.OptimizerTolerance);
        for (int step = 1; step <= steps; step++)
        {
            TNet model = step == steps ? run.Model : Fit(definition, initial, data, options with { Epochs = step }).Model;
            NumericAssert.Matches(trajectory.Row(step - 1), [layout.ParameterCount], definition.ParametersOf(model).Values, $"parameters after step {step}", NumericAssert.OptimizerTolerance);
        }

        // The metrics of PyTorch's own final model, so they are checked apart from the trajectory.
        EvaluationResult evaluated = Evaluation.Evaluate(definition, Model(definition, trajectory.Row(steps - 1).Values), data, batchSize: 5, loss);
        if (loss == TrainingLoss.Mse)
        {
            NumericAssert.Matches(fixture.Tensor("mse"), [], [evaluated.Loss], "MSE", 1e-5);
            NumericAssert.Matches(fixture.Tensor("mae"), [], [evaluated.MeanAbsoluteError!.Value], "MAE", 1e-5);
            Assert.Equal(0, evaluated.Count);
            Assert.True(float.IsNaN(evaluated.Accuracy));
            Assert.Empty(evaluated.PerLabelAccuracy);
        }
        else
        {
            NumericAssert.Matches(fixture.Tensor("loss"), [], [evaluated.Loss], "loss", 1e-5);
            NumericAssert.Matches(fixture.Tensor("label_accuracy"), [], [evaluated.Accuracy], "per-label accuracy", 1e-6);
            Assert.Equal(samples * layout.OutputSize, evaluated.Count);
            Assert.Null(evaluated.MeanAbsoluteError);
            Assert.Equal(evaluated.Accuracy, evaluated.PerLabelAccuracy.Average(), 1e-6);
        }
    }

    private static TNet Model<TNet>(NetworkDefinition<TNet> definition, float[] values)
        where TNet : class =>
        definition.FromParameters(ParameterSet.Create(definition.Layout.Parameters, values));

    private static TrainingResult<TNet> Fit<TNet>(NetworkDefinition<TNet> definition, TNet model, Dataset data, TrainingOptions options)
        where TNet : class =>
        Trainer.Fit(definition, model, data, options, validation: null, progress: null, resumeFrom: null, CancellationToken.None).Match(result => result, error => throw new InvalidOperationException(error.Message));

    private static TrainingLoss LossOf(FixtureCase fixture) => fixture.Text("loss") switch
    {
        "mse" => TrainingLoss.Mse,
        "bce_with_logits" => TrainingLoss.BceWithLogits,
        "bce" => TrainingLoss.Bce,
        string other => throw new InvalidDataException($"Unknown loss '{other}' in {fixture}."),
    };

    private static Optimizer Mirror(FixtureCase fixture) => fixture.Text("optimizer") switch
    {
        "sgd" => new Sgd(fixture.Float("lr"), fixture.Float("momentum")),
        "adam" => new Adam(fixture.Float("lr"), fixture.Float("beta1"), fixture.Float("beta2"), fixture.Float("eps")),
        string other => throw new InvalidDataException($"Unknown optimizer '{other}' in {fixture}."),
    };
}
