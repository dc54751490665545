using ConvGen.Checkpoints;
using ConvGen.Data;
using ConvGen.Layers;
using ConvGen.Training;

namespace ConvGen.TorchSharp.Tests;

/// <summary>Whole runs on libtorch against the managed backend on the embedded digits: the same batches, so losses track.</summary>
public sealed class TrainingParityTests
{
    private static readonly (Dataset Train, Dataset Test) Digits = DigitsData.LoadEmbedded().Split(0.8, seed: 7);

    [Fact]
    public void A_short_run_tracks_the_managed_run()
    {
        var options = new TrainingOptions(Epochs: 3, BatchSize: 32, Optimizer: new Sgd(0.05f, Momentum: 0.9f), Seed: 7) { L2Penalty = 1e-4f };
        DigitsNet model = DigitsNet.Initialize(seed: 7);
        var torchEvents = new List<TrainingEvent>();
        var managedEvents = new List<TrainingEvent>();

        TrainingResult<DigitsNet> managed = Trainer.Fit(model, Digits.Train, options, Digits.Test, new Collect(managedEvents)).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));
        TrainingResult<DigitsNet> torch = TorchBackend.Fit(model, Digits.Train, options, TorchDevice.Cpu, Digits.Test, new Collect(torchEvents)).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));

        Assert.Equal(managed.History.Length, torch.History.Length);
        for (int epoch = 0; epoch < managed.History.Length; epoch++)
        {
            EpochMetrics expected = managed.History[epoch], actual = torch.History[epoch];
            // Float rounding differs between the engines and grows over 135 steps (2e-7 relative by epoch 2 here); a changed batch moves far more.
            Assert.True(Math.Abs(expected.TrainLoss - actual.TrainLoss) <= 1e-3 * expected.TrainLoss, $"epoch {epoch + 1}: managed loss {expected.TrainLoss}, torch {actual.TrainLoss}");
            Assert.True(Math.Abs(expected.ValidationLoss!.Value - actual.ValidationLoss!.Value) <= 1e-3 * expected.ValidationLoss.Value, $"epoch {epoch + 1}: managed validation loss {expected.ValidationLoss}, torch {actual.ValidationLoss}");
        }

        Assert.True(torch.History[^1].TrainLoss < 0.5f * torch.History[0].TrainLoss, "the torch run learns");
        Assert.Equal(managedEvents.Select(Kind), torchEvents.Select(Kind));
        Assert.Equal(managed.OptimizerState.Step, torch.OptimizerState.Step);

        // The returned model is a model value the managed backend evaluates as torch does.
        EvaluationResult managedView = Evaluation.Evaluate(torch.Model, Digits.Test);
        EvaluationResult torchView = TorchBackend.Evaluate(torch.Model, Digits.Test).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));
        Assert.Equal(managedView.Correct, torchView.Correct);
        Assert.Equal(managedView.Loss, torchView.Loss, 1e-5f);
        float[] expectedOutputs = torch.Model.Predict(Digits.Test.Images, Digits.Test.Count);
        float[] outputs = TorchBackend.Predict(torch.Model, Digits.Test.Images, Digits.Test.Count).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));
        Close.Equal(expectedOutputs, outputs, 1e-5, "predictions");
    }

    [Fact]
    public void An_augmented_run_trains_on_the_managed_runs_augmented_batches()
    {
        var augmentation = new Augmentation(
            new RandomCrop(1), new RandomHorizontalFlip(), new RandomAffine(10f, 0.1f, 0.1f) { Interpolation = Interpolation.Bilinear }, new Normalize(0.3f, 0.4f));
        var options = new TrainingOptions(Epochs: 2, BatchSize: 32, Optimizer: new Sgd(0.05f, Momentum: 0.9f), Seed: 7) { Augmentation = augmentation };
        DigitsNet model = DigitsNet.Initialize(seed: 7);

        TrainingResult<DigitsNet> managed = Trainer.Fit(model, Digits.Train, options).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));
        TrainingResult<DigitsNet> torch = TorchBackend.Fit(model, Digits.Train, options).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));
        TrainingResult<DigitsNet> plain = TorchBackend.Fit(model, Digits.Train, options with { Augmentation = null }).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));

        for (int epoch = 0; epoch < 2; epoch++)
        {
            float expected = managed.History[epoch].TrainLoss, actual = torch.History[epoch].TrainLoss;
            // As the run above: rounding differs between the engines; other batches move the loss far more, as the plain run shows.
            Assert.True(Math.Abs(expected - actual) <= 1e-3 * expected, $"epoch {epoch + 1}: managed loss {expected}, torch {actual}");
            Assert.True(Math.Abs(plain.History[epoch].TrainLoss - actual) > 1e-2 * actual, $"epoch {epoch + 1}: the augmentation changed the torch loss only from {plain.History[epoch].TrainLoss} to {actual}");
        }
    }

    [Fact]
    public void A_model_trained_on_torch_checkpoints_as_any_model()
    {
        var options = new TrainingOptions(Epochs: 1, BatchSize: 64, Optimizer: new Adam(1e-2f), Seed: 3);
        DigitsNet trained = TorchBackend.Fit(DigitsNet.Initialize(seed: 3), Digits.Train, options).Match(Right: r => r.Model, Left: e => throw new InvalidOperationException(e.Message));
        string path = Path.Combine(Path.GetTempPath(), $"convgen-torch-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.Save(trained, path).Match(Right: _ => { }, Left: e => throw new InvalidOperationException(e.Message));
            DigitsNet loaded = Checkpoint.Load<DigitsNet>(path).Match(Right: m => m, Left: e => throw new InvalidOperationException(e.Message));
            Assert.Equal(trained.Parameters.Values.ToArray(), loaded.Parameters.Values.ToArray());
            Assert.NotEqual(DigitsNet.Initialize(seed: 3).Parameters.Values.ToArray(), loaded.Parameters.Values.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_diverging_run_stops_and_keeps_the_last_finite_model_running_statistics_included()
    {
        Sequential network = Networks.BatchNorm;
        Dataset data = Batches.Random(network.Layout, 64, seed: 9);
        // A learning rate of 1e30 overflows the weights within a few steps; the failing pass would have moved the running statistics.
        var options = new TrainingOptions(Epochs: 2, BatchSize: 16, Optimizer: new Sgd(1e30f), Seed: 1);

        TrainingResult<SequentialNetwork> result = TorchBackend.Fit(network.Initialize(1), data, options).Match(Right: r => r, Left: e => throw new InvalidOperationException(e.Message));

        Assert.Contains("the loss became", result.StopReason, StringComparison.Ordinal);
        Assert.All(result.Model.Parameters.Values.ToArray(), value => Assert.True(float.IsFinite(value), "the kept model holds a non-finite value"));
    }

    [Fact]
    public void Settings_and_data_that_do_not_fit_are_error_values()
    {
        DigitsNet model = DigitsNet.Initialize(seed: 1);
        Assert.Contains("Epochs must be at least 1", Message(TorchBackend.Fit(model, Digits.Train, new TrainingOptions(Epochs: 0)).Map(_ => 0)), StringComparison.Ordinal);
        Assert.Contains("TrainingLoss.Nll takes log-probabilities", Message(TorchBackend.Fit(model, Digits.Train, new TrainingOptions(Epochs: 1) { Loss = TrainingLoss.Nll }).Map(_ => 0)), StringComparison.Ordinal);
        Assert.Contains("640 values but 64 were given", Message(TorchBackend.Predict(model, Digits.Test.Images[..64], 10).Map(_ => 0)), StringComparison.Ordinal);
    }

    private static string Message<T>(LanguageExt.Either<ConvGenError, T> result) => result.Match(Right: value => $"no error: {value}", Left: error => error.Message);

    private static string Kind(TrainingEvent e) => e switch
    {
        StepCompleted step => $"step {step.Epoch}.{step.Step}/{step.StepsPerEpoch}",
        EpochCompleted epoch => $"epoch {epoch.Metrics.Epoch}",
        _ => e.GetType().Name,
    };

    // Progress<T> posts to the thread pool; the tests need the events in order, as they happen.
    private sealed class Collect(List<TrainingEvent> events) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => events.Add(value);
    }

    [Fact]
    public void A_learning_rate_schedule_is_refused_rather_than_ignored()
    {
        var options = new TrainingOptions(Epochs: 1, Optimizer: new Sgd(0.05f)) { Schedule = new StepDecay(1) };

        string outcome = TorchBackend.Fit(DigitsNet.Initialize(seed: 7), Digits.Train, options).Match(Right: _ => "trained", Left: error => error.Message);

        Assert.StartsWith("The libtorch backend does not follow learning-rate schedules", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public void Float_targets_are_refused_rather_than_read_as_labels()
    {
        Dataset values = Digits.Train.Take(20).WithTargets(new float[20 * 10], 10).Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
        var options = new TrainingOptions(Epochs: 1) { Loss = TrainingLoss.Mse };

        string outcome = TorchBackend.Fit(DigitsNet.Initialize(seed: 7), values, options).Match(Right: _ => "trained", Left: error => error.Message);

        Assert.Equal(
            $"{values.Name}: holds float targets, which the libtorch backend does not train or evaluate yet; use Trainer.Fit and Evaluation.Evaluate, which do.",
            outcome);
    }
}
