using ConvGen.Data;
using ConvGen.Tests.Numerics;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>The network of the L2-penalty trajectories; PyTorch's twin is <c>trajectory_network</c> in the fixture script.</summary>
[Network(InputChannels = 1, InputHeight = 6, InputWidth = 6)]
[Conv2d(3, Kernel = 3), ReLU, MaxPool2d(2), Flatten, Linear(12, 4)]
public sealed partial record L2PenaltyNet;

/// <summary><see cref="L2PenaltyNet"/> ending in probabilities, for BCE on probabilities.</summary>
[Network(InputChannels = 1, InputHeight = 6, InputWidth = 6)]
[Conv2d(3, Kernel = 3), ReLU, MaxPool2d(2), Flatten, Linear(12, 4), Sigmoid]
public sealed partial record L2PenaltySigmoidNet;

/// <summary><see cref="L2PenaltyNet"/> ending in log-probabilities, for NLL.</summary>
[Network(InputChannels = 1, InputHeight = 6, InputWidth = 6)]
[Conv2d(3, Kernel = 3), ReLU, MaxPool2d(2), Flatten, Linear(12, 4), LogSoftmax]
public sealed partial record L2PenaltyLogSoftmaxNet;

/// <summary>
/// Training with a chosen <see cref="TrainingLoss"/> and the explicit <see cref="TrainingOptions.L2Penalty"/>: ten full-batch
/// steps against PyTorch's (<c>loss + l2_lambda * sum((p**2).sum() for p in parameters)</c>, notebook 002), the penalty
/// against its hand-computed effect and against the coupled weight decay it equals, and losses that do not fit the network refused.
/// </summary>
public sealed class TrainingLossTests
{
    private const string Family = "l2_penalty_training";

    public static TheoryData<string> Trajectories => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Trajectories))]
    public void Trajectory_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        if (fixture.Text("loss") == "bce")
        {
            CheckTrajectory<L2PenaltySigmoidNet>(fixture);
        }
        else
        {
            CheckTrajectory<L2PenaltyNet>(fixture);
        }
    }

    [Fact]
    public void One_SGD_step_with_the_penalty_moves_every_parameter_by_minus_two_lr_lambda_p_and_adds_lambda_sum_p_squared_to_the_loss()
    {
        const float learningRate = 0.1f, lambda = 0.01f;
        Dataset data = RandomData(seed: 3);
        L2PenaltyNet initial = L2PenaltyNet.Initialize(seed: 5);
        var plain = new TrainingOptions(Epochs: 1, BatchSize: data.Count, new Sgd(learningRate));

        TrainingResult<L2PenaltyNet> without = Fit(initial, data, plain);
        TrainingResult<L2PenaltyNet> with = Fit(initial, data, plain with { L2Penalty = lambda });

        // By hand: the penalty adds lambda * p^2 to the loss and 2 lambda p to each gradient, so one plain SGD step lands
        // lr * 2 lambda * p lower, for biases as for weights.
        ReadOnlySpan<float> p = initial.Parameters.Values;
        double sumOfSquares = 0;
        foreach (ParameterInfo tensor in L2PenaltyNet.Layout.Parameters)
        {
            ReadOnlySpan<float> before = initial.Parameters[tensor.Name], withPenalty = with.Model.Parameters[tensor.Name], plainStep = without.Model.Parameters[tensor.Name];
            for (int i = 0; i < before.Length; i++)
            {
                double expected = plainStep[i] - learningRate * 2 * lambda * before[i];
                Assert.True(Math.Abs(withPenalty[i] - expected) <= 1e-6, $"{tensor.Name}[{i}]: {withPenalty[i]} after the step, {expected} by hand");
                sumOfSquares += (double)before[i] * before[i];
            }
        }

        Assert.True(sumOfSquares > 1, "the parameters are large enough for the penalty to show");
        Assert.Equal(without.History[0].TrainLoss + lambda * sumOfSquares, with.History[0].TrainLoss, 1e-5);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void The_penalty_steps_as_coupled_weight_decay_of_twice_lambda_but_not_as_AdamW(string optimizer)
    {
        const float lambda = 0.02f;
        Dataset data = RandomData(seed: 4);
        L2PenaltyNet initial = L2PenaltyNet.Initialize(seed: 6);
        Optimizer Make(float weightDecay, bool decoupled = false) =>
            optimizer == "sgd" ? new Sgd(0.1f, Momentum: 0.9f, WeightDecay: weightDecay) : new Adam(1e-2f, WeightDecay: weightDecay, DecoupledWeightDecay: decoupled);
        float[] Train(Optimizer update, float penalty) =>
            Fit(initial, data, new TrainingOptions(Epochs: 5, BatchSize: data.Count, update) { L2Penalty = penalty }).Model.Parameters.Values.ToArray();

        float[] penalised = Train(Make(0f), lambda), decayed = Train(Make(2 * lambda), 0f);

        for (int i = 0; i < penalised.Length; i++)
        {
            Assert.True(NumericAssert.IsClose(penalised[i], decayed[i], 1e-5), $"parameter {i}: {penalised[i]} with the penalty, {decayed[i]} with weight decay");
        }

        if (optimizer == "adam")
        {
            float[] decoupled = Train(Make(2 * lambda, decoupled: true), 0f);
            Assert.Contains(Enumerable.Range(0, penalised.Length), i => !NumericAssert.IsClose(penalised[i], decoupled[i], 1e-4));
        }
    }

    // PyTorch's cross-entropy is NLL of log-softmax, and log-softmax of log-probabilities changes nothing: a net ending
    // in LogSoftmax trained with NLL follows the same net without it trained with cross-entropy.
    [Fact]
    public void NLL_after_LogSoftmax_trains_as_cross_entropy_on_the_logits()
    {
        Dataset data = RandomData(seed: 9);
        L2PenaltyNet logits = L2PenaltyNet.Initialize(seed: 7);
        var logProbabilities = L2PenaltyLogSoftmaxNet.FromParameters(ParameterSet.Create(L2PenaltyLogSoftmaxNet.Layout.Parameters, logits.Parameters.Values));
        var options = new TrainingOptions(Epochs: 3, BatchSize: 4, new Adam(1e-2f)) { L2Penalty = 1e-3f };

        TrainingResult<L2PenaltyNet> crossEntropy = Fit(logits, data, options);
        TrainingResult<L2PenaltyLogSoftmaxNet> nll = Fit(logProbabilities, data, options with { Loss = TrainingLoss.Nll });

        for (int epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(crossEntropy.History[epoch].TrainLoss, nll.History[epoch].TrainLoss, 1e-5);
        }

        ReadOnlySpan<float> expected = crossEntropy.Model.Parameters.Values, actual = nll.Model.Parameters.Values;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(NumericAssert.IsClose(actual[i], expected[i], 1e-4), $"parameter {i}: {actual[i]} with NLL, {expected[i]} with cross-entropy");
        }
    }

    [Theory]
    [InlineData(-0.1f, "The L2 penalty must be a finite number of at least 0, got -0.1.")]
    [InlineData(float.NaN, "The L2 penalty must be a finite number of at least 0, got NaN.")]
    public void A_bad_penalty_is_refused_before_training(float penalty, string message)
    {
        Assert.Equal(message, FitError<L2PenaltyNet>(new TrainingOptions(Epochs: 1) { L2Penalty = penalty }));
    }

    [Theory]
    [InlineData(TrainingLoss.Nll, "TrainingLoss.Nll takes log-probabilities, but L2PenaltyNet ends in Linear, not LogSoftmax; use TrainingLoss.CrossEntropy on its logits.")]
    [InlineData(TrainingLoss.Bce, "TrainingLoss.Bce takes probabilities, but L2PenaltyNet ends in Linear, not Sigmoid or Softmax; use TrainingLoss.BceWithLogits on its logits.")]
    [InlineData((TrainingLoss)42, "The training loss 42 is not one of CrossEntropy, Nll, BceWithLogits, Bce, Mse.")]
    public void A_loss_that_does_not_fit_the_network_output_is_refused_before_training(TrainingLoss loss, string message)
    {
        Assert.Equal(message, FitError<L2PenaltyNet>(new TrainingOptions(Epochs: 1) { Loss = loss }));
    }

    [Fact]
    public void The_validation_loss_is_the_chosen_loss_without_the_penalty()
    {
        Dataset data = RandomData(seed: 8);
        var options = new TrainingOptions(Epochs: 1, BatchSize: data.Count, new Sgd(0.1f)) { Loss = TrainingLoss.Mse, L2Penalty = 0.5f };

        TrainingResult<L2PenaltyNet> result = Fit(L2PenaltyNet.Initialize(seed: 2), data, options, validation: data);

        float mse = Evaluation.Evaluate(result.Model, data, loss: TrainingLoss.Mse).Loss;
        Assert.Equal(mse, result.History[0].ValidationLoss);
        Assert.NotEqual(mse, Evaluation.Evaluate(result.Model, data).Loss);
    }

    // Full batch, so each epoch is one step and the model after k epochs is PyTorch's after step k.
    private static void CheckTrajectory<TNet>(FixtureCase fixture)
        where TNet : class, INetwork<TNet>
    {
        FixtureTensor images = fixture.Tensor("images"), trajectory = fixture.Tensor("parameters"), losses = fixture.Tensor("losses");
        int samples = images.Shape[0], steps = losses.Shape[0];
        NumericAssert.ShapeIs(images, [samples, .. TNet.Layout.InputShape], "images");
        NumericAssert.ShapeIs(trajectory, [steps, TNet.Layout.ParameterCount], "parameters");
        TNet initial = TNet.FromParameters(ParameterSet.Create(TNet.Layout.Parameters, fixture.Tensor("initial").Values));
        Dataset data = Dataset.Create("trajectory", images.Values, fixture.Tensor("labels").AsIntegers(), 1, 6, 6, TNet.Layout.OutputSize)
            .Match(d => d, e => throw new InvalidDataException(e.Message));
        var options = new TrainingOptions(Epochs: steps, BatchSize: samples, Mirror(fixture))
        {
            Loss = fixture.Text("loss") switch
            {
                "cross_entropy" => TrainingLoss.CrossEntropy,
                "bce_with_logits" => TrainingLoss.BceWithLogits,
                "bce" => TrainingLoss.Bce,
                "mse" => TrainingLoss.Mse,
                string other => throw new InvalidDataException($"Unknown loss '{other}' in {fixture}."),
            },
            L2Penalty = fixture.Float("l2_lambda"),
        };

        float[] reported = Fit(initial, data, options).History.Select(epoch => epoch.TrainLoss).ToArray();
        NumericAssert.Matches(losses, [steps], reported, "losses with the penalty", NumericAssert.OptimizerTolerance);
        for (int step = 1; step <= steps; step++)
        {
            TNet model = Fit(initial, data, options with { Epochs = step }).Model;
            NumericAssert.Matches(trajectory.Row(step - 1), [TNet.Layout.ParameterCount], model.Parameters.Values, $"parameters after step {step}", NumericAssert.OptimizerTolerance);
        }
    }

    private static Optimizer Mirror(FixtureCase fixture) => fixture.Text("optimizer") switch
    {
        "sgd" => new Sgd(fixture.Float("lr"), fixture.Float("momentum")),
        "adam" => new Adam(fixture.Float("lr"), fixture.Float("beta1"), fixture.Float("beta2"), fixture.Float("eps")),
        string other => throw new InvalidDataException($"Unknown optimizer '{other}' in {fixture}."),
    };

    private static Dataset RandomData(int seed)
    {
        var random = new Random(seed);
        float[] images = Enumerable.Range(0, 12 * 36).Select(_ => 2f * random.NextSingle() - 1f).ToArray();
        int[] labels = Enumerable.Range(0, 12).Select(_ => random.Next(4)).ToArray();
        return Dataset.Create("random", images, labels, 1, 6, 6, 4).Match(d => d, e => throw new InvalidDataException(e.Message));
    }

    private static TrainingResult<TNet> Fit<TNet>(TNet model, Dataset data, TrainingOptions options, Dataset? validation = null)
        where TNet : class, INetwork<TNet> =>
        Trainer.Fit(model, data, options, validation).Match(Right: result => result, Left: error => throw new InvalidOperationException(error.Message));

    private static string FitError<TNet>(TrainingOptions options)
        where TNet : class, INetwork<TNet> =>
        Trainer.Fit(TNet.Initialize(0), RandomData(seed: 1), options).Match(Right: _ => "trained", Left: failure => failure.Message);
}
