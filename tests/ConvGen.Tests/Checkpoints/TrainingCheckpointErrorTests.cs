using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using ConvGen.Checkpoints;
using ConvGen.Data;
using ConvGen.Tests.Training;
using ConvGen.Training;
using LanguageExt;

namespace ConvGen.Tests.Checkpoints;

/// <summary>
/// A resumable checkpoint that cannot continue a run is refused with an error naming the file and what is wrong: another
/// network's file, a model-only file, a truncated file, a missing tensor or metadata entry, a malformed or edited value;
/// and a resume whose settings differ from the saved run's is refused naming the setting.
/// </summary>
public sealed class TrainingCheckpointErrorTests : IDisposable
{
    private static readonly Dataset Train = DigitsData.LoadEmbedded().Take(100);
    private static readonly TrainingOptions Options = new(Epochs: 2, BatchSize: 16, new Adam(1e-2f), Seed: 4);

    private readonly TemporaryFolder work = new();
    private readonly string path;

    public TrainingCheckpointErrorTests()
    {
        // Stopped mid-epoch 1: every entry of the file is in use.
        using var cancel = new CancelAfter(3);
        TrainingResult<ResumableNet> stopped = Value(Trainer.Fit(ResumableNet.Initialize(1), Train, Options, progress: cancel, cancellationToken: cancel.Token));
        path = work.File("run.safetensors");
        Value(TrainingCheckpoint.Save(stopped.Checkpoint!, path));
    }

    public void Dispose() => work.Dispose();

    [Fact]
    public void TheCheckpointLoadsBackToTheSameState()
    {
        TrainingCheckpoint<ResumableNet> loaded = Value(TrainingCheckpoint.Load<ResumableNet>(path));

        Assert.Equal((1, 3, 3), (loaded.Epoch, loaded.Step, loaded.StepsTaken));
        Assert.Equal(3, loaded.OptimizerState.Step);
    }

    [Fact]
    public void AnotherNetworksFileIsRefusedNamingTheTensors()
    {
        string error = Error(TrainingCheckpoint.Load<TinyDigitsNet>(path));

        Assert.Equal(
            $"{path}: unexpected bn1.weight, bn1.bias, fc2.weight, fc2.bias, bn1.running_mean, bn1.running_var, bn1.num_batches_tracked; " +
            "the network expects only conv1.weight, conv1.bias, fc1.weight, fc1.bias, optimizer.first_moment, optimizer.second_moment.",
            error);
    }

    [Fact]
    public void AModelOnlyCheckpointIsToldApartFromAResumableOne()
    {
        Value(Checkpoint.Save(ResumableNet.Initialize(1), path));

        Assert.Equal(
            $"{path}: not a resumable training checkpoint: its metadata has no convgen.checkpoint. A model-only checkpoint (Checkpoint.Save) holds no " +
            "optimizer state or position to resume from; load it with Checkpoint.Load.",
            Error(TrainingCheckpoint.Load<ResumableNet>(path)));
    }

    [Fact]
    public void ATruncatedFileIsRefused()
    {
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length - 100)]);

        Assert.StartsWith($"{path}: truncated: the tensors need ", Error(TrainingCheckpoint.Load<ResumableNet>(path)));
    }

    [Fact]
    public void AMissingFileIsNamed() =>
        Assert.Equal($"{work.File("none.safetensors")}: no such file.", Error(TrainingCheckpoint.Load<ResumableNet>(work.File("none.safetensors"))));

    [Fact]
    public void AMissingOptimizerTensorIsNamed()
    {
        EditHeader(header => header.Remove("optimizer.second_moment"));

        Assert.StartsWith($"{path}: missing optimizer.second_moment; ", Error(TrainingCheckpoint.Load<ResumableNet>(path)));
    }

    [Theory]
    [InlineData("convgen.epoch")]
    [InlineData("convgen.optimizer_step")]
    [InlineData("convgen.epoch_seconds")]
    [InlineData("convgen.history")]
    [InlineData("convgen.run.optimizer")]
    [InlineData("convgen.rng.dropout")]
    public void AMissingMetadataEntryIsNamed(string key)
    {
        EditHeader(header => header["__metadata__"]!.AsObject().Remove(key));

        Assert.Equal($"{path}: the metadata has no {key}; the file is not a complete resumable checkpoint.", Error(TrainingCheckpoint.Load<ResumableNet>(path)));
    }

    [Theory]
    [InlineData("convgen.epoch", "two", "convgen.epoch is 'two', not a whole number from 1 to 2147483647.")]
    [InlineData("convgen.step", "-1", "convgen.step is '-1', not a whole number from 0 to 2147483647.")]
    [InlineData("convgen.step", "7", "convgen.step is 7, but an epoch of the run has only 7 steps.")]
    [InlineData("convgen.epoch_loss_sum", "lots", "convgen.epoch_loss_sum is 'lots', not a number.")]
    [InlineData("convgen.optimizer_moments", "3", "convgen.optimizer_moments is '3', not a whole number from 0 to 2.")]
    [InlineData("convgen.history", "{}", "convgen.history is '{}', not a JSON array of epoch metrics.")]
    [InlineData("convgen.history", "[{\"epoch\": 1}]", "convgen.history is '[{\"epoch\": 1}]', not a JSON array of epoch metrics.")]
    [InlineData("convgen.checkpoint", "training-state-9", "convgen.checkpoint is 'training-state-9', but this version of ConvGen reads 'training-state-1'.")]
    public void AMalformedMetadataValueIsNamed(string key, string value, string expected)
    {
        EditHeader(header => header["__metadata__"]![key] = value);

        Assert.Equal($"{path}: {expected}", Error(TrainingCheckpoint.Load<ResumableNet>(path)));
    }

    [Fact]
    public void AnEditedPositionNoLongerMatchesTheRandomState()
    {
        // Moving the position without the random streams would resume with the wrong dropout masks.
        EditHeader(header => header["__metadata__"]!["convgen.step"] = "4");

        Assert.StartsWith($"{path}: the random state (convgen.rng.data_order ", Error(TrainingCheckpoint.Load<ResumableNet>(path)));
        Assert.EndsWith("is not the one seed 4 gives at epoch 1, step 4: the file was edited or damaged.", Error(TrainingCheckpoint.Load<ResumableNet>(path)));
    }

    [Fact]
    public void AHistoryThatDisagreesWithThePositionIsRefused()
    {
        EditHeader(header => header["__metadata__"]!["convgen.history"] =
            """[{"epoch": 1, "train_loss": "1", "train_accuracy": "0.5", "validation_loss": "none", "validation_accuracy": "none", "seconds": "1", "images_per_second": "1", "learning_rate": "0.01"}]""");

        Assert.Equal($"{path}: convgen.history holds 1 epochs, but the run is in epoch 1.", Error(TrainingCheckpoint.Load<ResumableNet>(path)));
    }

    [Theory]
    [InlineData("batch size", "the run that wrote it had batch size 16 but this one has 20")]
    [InlineData("seed", "the run that wrote it had seed 4 but this one has 5")]
    [InlineData("optimizer", "the run that wrote it had optimizer Adam(Beta1=0.9, Beta2=0.999, DecoupledWeightDecay=false, Epsilon=1E-08, LearningRate=0.01, WeightDecay=0) but this one has Adam(Beta1=0.9, Beta2=0.999, DecoupledWeightDecay=false, Epsilon=1E-08, LearningRate=0.02, WeightDecay=0)")]
    [InlineData("schedule", "the run that wrote it had schedule none but this one has StepDecay(Gamma=0.1, Interval=Epoch, StepSize=1)")]
    [InlineData("training set", "the run that wrote it had the training set's size 100 but this one has 99")]
    public void ResumingWithOtherSettingsIsRefusedNamingTheSetting(string setting, string expected)
    {
        TrainingCheckpoint<ResumableNet> checkpoint = Value(TrainingCheckpoint.Load<ResumableNet>(path));
        (TrainingOptions options, Dataset train) = setting switch
        {
            "batch size" => (Options with { BatchSize = 20 }, Train),
            "seed" => (Options with { Seed = 5 }, Train),
            "optimizer" => (Options with { Optimizer = new Adam(2e-2f) }, Train),
            "schedule" => (Options with { Schedule = new StepDecay(1) }, Train),
            _ => (Options, Train.Take(99)),
        };

        Assert.Equal(
            $"The checkpoint cannot continue this run: {expected}; a resumed run must keep every setting but the epoch count, patience, prefetching " +
            "and the hooks, or it would not continue the same run.",
            Error(Trainer.Resume(checkpoint, train, options)));
    }

    [Fact]
    public void AnOptimizerStateOfOtherSizesNeverReachesTheUpdate()
    {
        // A consistent file whose second moment was cut away: Adam's update would write past the end of it.
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..^(ResumableNet.Layout.TrainableCount * sizeof(float))]);
        EditHeader(header =>
        {
            header.Remove("optimizer.second_moment");
            header["__metadata__"]!["convgen.optimizer_moments"] = "1";
        });
        TrainingCheckpoint<ResumableNet> edited = Value(TrainingCheckpoint.Load<ResumableNet>(path));

        Assert.Equal(
            $"The checkpoint's optimizer state holds moments of {ResumableNet.Layout.TrainableCount} and 0 values, but Adam on ResumableNet keeps " +
            $"{ResumableNet.Layout.TrainableCount} and {ResumableNet.Layout.TrainableCount}.",
            Error(Trainer.Resume(edited, Train, Options)));
    }

    [Fact]
    public void ResumingWithFewerEpochsThanAlreadyRunIsRefused()
    {
        TrainingResult<ResumableNet> finished = Value(Trainer.Resume(Value(TrainingCheckpoint.Load<ResumableNet>(path)), Train, Options));

        Assert.Equal(
            "The checkpoint's run is already in epoch 3, past the 1 epochs these options ask for.",
            Error(Trainer.Resume(finished.Checkpoint!, Train, Options with { Epochs = 1 })));
        // As many epochs as already run: nothing left to do, the same model back.
        BitAssert.Identical(
            finished.Model.Parameters.Values, Value(Trainer.Resume(finished.Checkpoint!, Train, Options)).Model.Parameters.Values, "model");
    }

    [Fact]
    public void KeepBestWithoutAValidationSetStopsTheRunWithAnError() =>
        Assert.Equal(
            "After epoch 1: KeepBest keeps the model with the lowest validation loss, but the run has no validation set; pass one to Fit.",
            Error(Trainer.Fit(ResumableNet.Initialize(1), Train, Options with { AfterEpoch = [EpochHooks.KeepBest(work.File("best.safetensors"))] })));

    [Fact]
    public void AHookThatCannotWriteStopsTheRunWithItsError()
    {
        string blocked = Path.Combine(path, "run.safetensors");

        Assert.StartsWith(
            $"After epoch 1: {blocked}: cannot be written",
            Error(Trainer.Fit(ResumableNet.Initialize(1), Train, Options with { AfterEpoch = [EpochHooks.SaveCheckpoint(blocked)] })));
    }

    // Rewrites the JSON header in place; the data offsets are relative to the header's end, so the tensors still line up.
    private void EditHeader(Action<JsonObject> edit)
    {
        byte[] file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        JsonObject header = JsonNode.Parse(file.AsSpan(8, length))!.AsObject();
        edit(header);
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
        File.WriteAllBytes(path, [.. prefix, .. json, .. file.AsSpan(8 + length)]);
    }

    private static T Value<T>(Either<ConvGenError, T> result) => result.Match(Right: value => value, Left: error => throw new InvalidOperationException(error.Message));

    private static string Error<T>(Either<ConvGenError, T> result) => result.Match(Right: _ => "no error", Left: error => error.Message);
}
