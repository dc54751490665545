using ConvGen.Data;
using ConvGen.Layers;
using ConvGen.Training;

namespace ConvGen.TorchSharp.Tests;

/// <summary>
/// Training steps on libtorch against the managed ones: two steps in a row (the second starts from the optimizer state
/// the first handed back, so momentum and moments carry over) give the same weights, BatchNorm buffers, optimizer state
/// and losses, for every optimizer setting and every training loss.
/// </summary>
public sealed class OptimizerParityTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, Optimizer> Optimizers => new()
    {
        { "plain SGD", new Sgd(0.1f) },
        { "SGD with momentum", new Sgd(0.1f, Momentum: 0.9f) },
        { "SGD, Nesterov, weight decay", new Sgd(0.05f, Momentum: 0.8f, WeightDecay: 0.01f, Nesterov: true) },
        { "Adam", new Adam(0.01f) },
        { "Adam with L2 weight decay", new Adam(0.01f, Beta1: 0.8f, Beta2: 0.99f, Epsilon: 1e-6f, WeightDecay: 0.05f) },
        { "AdamW", Adam.W(0.01f, weightDecay: 0.1f) },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Two_steps_match_the_managed_steps(string description, Optimizer optimizer)
    {
        // Not a network with a bias before a BatchNorm: that bias's gradient is rounding noise, which Adam scales to +-lr.
        Sequential network = Networks.Activations;
        SequentialNetwork model = network.Initialize(5);
        Dataset first = Batches.Random(network.Layout, 6, 21), second = Batches.Random(network.Layout, 6, 22);
        OptimizerState start = optimizer.CreateState(network.Layout.TrainableCount);

        var managedOnce = Managed(model, start, optimizer, first, 0f);
        var managed = Managed(managedOnce.Model, managedOnce.State, optimizer, second, 0f);
        var once = Torch(model, start, optimizer, first, TrainingLoss.CrossEntropy, 0f);
        var torch = Torch(once.Model, once.State, optimizer, second, TrainingLoss.CrossEntropy, 0f);

        Close.Equal(managed.Model.Parameters.Values, torch.Model.Parameters.Values, Tolerance, $"{description}: parameters");
        Assert.Equal(managed.State.Step, torch.State.Step);
        Close.Equal(managed.State.FirstMoment, torch.State.FirstMoment, Tolerance, $"{description}: first moment");
        Close.Equal(managed.State.SecondMoment, torch.State.SecondMoment, Tolerance, $"{description}: second moment");
        Close.Equal([managed.Loss], [torch.Loss], Tolerance, $"{description}: loss");
    }

    [Theory]
    [InlineData(TrainingLoss.CrossEntropy, false)]
    [InlineData(TrainingLoss.Nll, true)]
    [InlineData(TrainingLoss.BceWithLogits, false)]
    [InlineData(TrainingLoss.Bce, false)]
    [InlineData(TrainingLoss.Mse, false)]
    public void Every_loss_with_the_L2_penalty_matches(TrainingLoss loss, bool logProbabilities)
    {
        Sequential network = loss == TrainingLoss.Bce ? Networks.DigitsSigmoid : logProbabilities ? Networks.GlobalPooling : Networks.Activations;
        SequentialNetwork model = network.Initialize(8);
        Dataset batch = Batches.Random(network.Layout, 7, 30);
        var optimizer = new Sgd(0.2f, Momentum: 0.5f);
        OptimizerState state = optimizer.CreateState(network.Layout.TrainableCount);

        (SequentialNetwork Model, OptimizerState State, float Loss) managed = Managed(model, state, optimizer, batch, 0.01f, loss);
        (SequentialNetwork Model, OptimizerState State, float Loss) torch = Torch(model, state, optimizer, batch, loss, 0.01f);

        Close.Equal([managed.Loss], [torch.Loss], Tolerance, $"{loss} loss");
        Close.Equal(managed.Model.Parameters.Values, torch.Model.Parameters.Values, Tolerance, $"{loss} parameters");
    }

    [Fact]
    public void The_model_and_state_given_are_not_changed()
    {
        Sequential network = Networks.BatchNorm;
        SequentialNetwork model = network.Initialize(5);
        float[] before = model.Parameters.Values.ToArray();
        var optimizer = new Adam(0.1f);
        OptimizerState state = optimizer.CreateState(network.Layout.TrainableCount);
        Torch(model, state, optimizer, Batches.Random(network.Layout, 4, 1), TrainingLoss.CrossEntropy, 0f);
        Assert.Equal(before, model.Parameters.Values.ToArray());
        Assert.Equal(0, state.Step);
        Assert.All(state.FirstMoment.ToArray(), value => Assert.Equal(0f, value));
    }

    private static (SequentialNetwork Model, OptimizerState State, float Loss) Managed(
        SequentialNetwork model, OptimizerState state, Optimizer optimizer, Dataset batch, float l2Penalty, TrainingLoss loss = TrainingLoss.CrossEntropy) =>
        TrainingStep.Apply(model, state, optimizer, batch, seed: 0, loss, l2Penalty).Match(Right: step => step, Left: error => throw new InvalidOperationException(error.Message));

    private static (SequentialNetwork Model, OptimizerState State, float Loss) Torch(
        SequentialNetwork model, OptimizerState state, Optimizer optimizer, Dataset batch, TrainingLoss loss, float l2Penalty) =>
        TorchBackend.Step(model, state, optimizer, batch, TorchDevice.Cpu, seed: 0, loss, l2Penalty).Match(Right: step => step, Left: error => throw new InvalidOperationException(error.Message));
}
