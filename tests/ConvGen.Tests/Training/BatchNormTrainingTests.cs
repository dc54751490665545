using System.Text.Json;
using ConvGen.Data;
using ConvGen.Tests.Numerics;
using ConvGen.Training;
using LanguageExt;

namespace ConvGen.Tests.Training;

/// <summary>
/// A generated network with BatchNorm2d trained by ConvGen and by PyTorch from the same weights, running statistics and
/// batches (<c>Fixtures/batch_norm_training.json</c>, from <c>tools/fixtures/make_batchnorm_fixtures.py</c>): every loss,
/// every tensor of the state after training (running statistics and batch counts included) and the trained network's
/// evaluation-mode outputs must agree. SGD with momentum and weight decay: decay applied to a running statistic would
/// show. Then what the buffers must never do: change in a model a user holds, or under evaluation.
/// </summary>
public sealed class BatchNormTrainingTests
{
    private const double Tolerance = 1e-4;

    private static readonly Lazy<JsonDocument> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "batch_norm_training.json"))));

    private static JsonElement Root => Fixture.Value.RootElement;

    private static Sgd Optimizer
    {
        get
        {
            JsonElement sgd = Root.GetProperty("sgd");
            return new Sgd(sgd.GetProperty("lr").GetSingle(), sgd.GetProperty("momentum").GetSingle(), sgd.GetProperty("weight_decay").GetSingle());
        }
    }

    [Fact]
    public void StepsOnSuccessiveBatchesMatchPyTorch()
    {
        BatchNormNet initial = State(Root.GetProperty("initial")), model = initial;
        float[] before = initial.Parameters.Values.ToArray();
        JsonElement steps = Root.GetProperty("steps");
        OptimizerState state = Optimizer.CreateState(BatchNormNet.Layout.TrainableCount);
        float[] losses = steps.GetProperty("losses").EnumerateArray().Select(loss => loss.GetSingle()).ToArray();
        int step = 0;
        foreach (JsonElement batch in steps.GetProperty("batches").EnumerateArray())
        {
            (model, state, float loss) = Expect(TrainingStep.Apply(model, state, Optimizer, Data(batch.GetProperty("input"), batch.GetProperty("labels"))));
            Assert.True(NumericAssert.IsClose(loss, losses[step], Tolerance), $"step {step + 1}: loss {loss}, PyTorch {losses[step]}");
            step++;
        }

        AssertState(steps, model);
        Assert.Equal(before, initial.Parameters.Values.ToArray());
    }

    [Fact]
    public void TrainerFitOnOneFullBatchMatchesPyTorch()
    {
        JsonElement fit = Root.GetProperty("fit");
        var options = new TrainingOptions(Epochs: fit.GetProperty("epochs").GetInt32(), BatchSize: 8, Optimizer: Optimizer, Seed: 3);
        TrainingResult<BatchNormNet> result = Expect(Trainer.Fit(State(Root.GetProperty("initial")), Data(fit.GetProperty("input"), fit.GetProperty("labels")), options));

        AssertState(fit, result.Model);
        // Shuffling changes only the order of a full batch, not its statistics or mean loss.
        float[] losses = fit.GetProperty("losses").EnumerateArray().Select(loss => loss.GetSingle()).ToArray();
        Assert.All(result.History, epoch => Assert.True(NumericAssert.IsClose(epoch.TrainLoss, losses[epoch.Epoch - 1], Tolerance), $"epoch {epoch.Epoch}: {epoch.TrainLoss} vs {losses[epoch.Epoch - 1]}"));
        Assert.Equal(BatchNormNet.Layout.TrainableCount, result.OptimizerState.FirstMoment.Length);
    }

    [Fact]
    public void EvaluationUsesTheRunningStatisticsAndChangesNothing()
    {
        BatchNormNet model = State(Root.GetProperty("initial"));
        float[] before = model.Parameters.Values.ToArray();
        Dataset data = Data(Root.GetProperty("fit").GetProperty("input"), Root.GetProperty("fit").GetProperty("labels"));

        Evaluation.Evaluate(model, data);
        model.Predict(data.Images, data.Count);
        NetworkWorkspace workspace = BatchNormNet.CreateWorkspace(data.Count);
        data.Images.CopyTo(workspace.Input);
        workspace.Forward(model.Parameters.Values, data.Count, training: false, seed: 0);

        Assert.Equal(before, model.Parameters.Values.ToArray());
        Assert.Equal(before[BatchNormNet.Layout.TrainableCount..], workspace.UpdatedBuffers.ToArray());
        // Evaluation normalises with the running statistics: shift them and the outputs move.
        float[] shifted = (float[])before.Clone();
        shifted[BatchNormNet.Layout.Parameters.Single(p => p.Name == "bn1.running_mean").Offset] += 1f;
        Assert.NotEqual(model.Predict(data.Images, data.Count), BatchNormNet.FromParameters(ParameterSet.Create(BatchNormNet.Layout.Parameters, shifted)).Predict(data.Images, data.Count));
    }

    [Fact]
    public void ATrainingForwardPassReportsTheUpdateAndLeavesItsParametersAlone()
    {
        BatchNormNet model = State(Root.GetProperty("initial"));
        float[] parameters = model.Parameters.Values.ToArray();
        Dataset data = Data(Root.GetProperty("fit").GetProperty("input"), Root.GetProperty("fit").GetProperty("labels"));
        NetworkWorkspace workspace = BatchNormNet.CreateWorkspace(data.Count);
        data.Images.CopyTo(workspace.Input);

        workspace.Forward(parameters, data.Count, training: true, seed: 0);

        Assert.Equal(model.Parameters.Values.ToArray(), parameters);
        int count = BatchNormNet.Layout.Parameters.Single(p => p.Name == "bn2.num_batches_tracked").Offset - BatchNormNet.Layout.TrainableCount;
        Assert.Equal(parameters[BatchNormNet.Layout.TrainableCount + count] + 1, workspace.UpdatedBuffers[count]);
        Assert.NotEqual(parameters[BatchNormNet.Layout.TrainableCount..], workspace.UpdatedBuffers.ToArray());
    }

    [Fact]
    public void ABatchOfOneSampleThroughOneByOnePlanesIsRefusedBeforeTraining()
    {
        BatchNormNet model = State(Root.GetProperty("initial"));
        Dataset data = Data(Root.GetProperty("fit").GetProperty("input"), Root.GetProperty("fit").GetProperty("labels"));
        const string Expected = "BatchNormNet: BatchNorm2d 'bn2' normalises 6x1x1 planes over the batch, so a training batch of 1 sample gives one value per channel";

        // 8 samples in batches of 7 leave a last batch of 1; dropping it trains.
        string error = Trainer.Fit(model, data, new TrainingOptions(Epochs: 1, BatchSize: 7)).Match(Right: _ => "trained", Left: e => e.Message);
        Assert.StartsWith(Expected, error, StringComparison.Ordinal);
        Assert.True(Trainer.Fit(model, data, new TrainingOptions(Epochs: 1, BatchSize: 7, DropLast: true)).IsRight);
        Dataset one = data.Select([0]);
        Assert.StartsWith(Expected, TrainingStep.Apply(model, new Adam().CreateState(BatchNormNet.Layout.TrainableCount), new Adam(), one).Match(Right: _ => "trained", Left: e => e.Message), StringComparison.Ordinal);
    }

    // Every tensor of the state, buffers included, by its state_dict key: shape first, then values.
    private static void AssertState(JsonElement trajectory, BatchNormNet model)
    {
        JsonElement final = trajectory.GetProperty("final");
        foreach (ParameterInfo parameter in BatchNormNet.Layout.Parameters)
        {
            NumericAssert.Matches(Tensor(final.GetProperty(parameter.Name)), [.. parameter.Shape], model.Parameters[parameter.Name], parameter.Name + " after training");
        }

        FixtureTensor input = Tensor(Root.GetProperty("evaluation_input"));
        float[] output = model.Predict(input.Values, input.Shape[0]);
        NumericAssert.Matches(Tensor(trajectory.GetProperty("evaluation_output")), [input.Shape[0], BatchNormNet.OutputSize], output, "evaluation output after training");
    }

    private static BatchNormNet State(JsonElement stateDict)
    {
        float[] values = new float[BatchNormNet.ParameterCount];
        foreach (ParameterInfo parameter in BatchNormNet.Layout.Parameters)
        {
            FixtureTensor tensor = Tensor(stateDict.GetProperty(parameter.Name));
            NumericAssert.ShapeIs(tensor, [.. parameter.Shape], parameter.Name);
            tensor.Values.CopyTo(values, parameter.Offset);
        }

        return BatchNormNet.FromParameters(ParameterSet.Create(BatchNormNet.Layout.Parameters, values));
    }

    private static Dataset Data(JsonElement input, JsonElement labels)
    {
        FixtureTensor images = Tensor(input);
        return Expect(Dataset.Create("batch", images.Values, Tensor(labels).AsIntegers(), 2, 6, 6, BatchNormNet.OutputSize));
    }

    private static FixtureTensor Tensor(JsonElement tensor) => new(
        tensor.GetProperty("shape").EnumerateArray().Select(size => size.GetInt32()).ToArray(),
        tensor.GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray());

    private static T Expect<T>(Either<ConvGenError, T> result) => result.Match(Right: value => value, Left: error => throw new InvalidOperationException(error.Message));
}
