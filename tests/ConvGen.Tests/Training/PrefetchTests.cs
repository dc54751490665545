using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// Background prefetch gathers the next batch while a step runs. It must change nothing but the timing: the same
/// batches in the same order, so bit-identical weights; nothing allocated per batch; and its thread gone when the run
/// ends, however it ends.
/// </summary>
public sealed class PrefetchTests
{
    private static readonly Dataset Digits = DigitsData.LoadEmbedded();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainingWithAndWithoutPrefetchGivesTheSameBits(bool dropLast)
    {
        (Dataset train, Dataset validation) = Digits.Split(0.8, seed: 5);
        // 1437 samples in batches of 50: a partial last batch of 37, kept or dropped.
        var options = new TrainingOptions(Epochs: 3, BatchSize: 50, new Adam(5e-3f), Seed: 8, DropLast: dropLast);

        TrainingResult<EveryLayerNet> inLine = Fit(train, validation, options with { Prefetch = false });
        TrainingResult<EveryLayerNet> prefetched = Fit(train, validation, options);

        BitAssert.Identical(inLine.Model.Parameters.Values, prefetched.Model.Parameters.Values, "weights after 3 epochs");
        Assert.Equal(inLine.History.Select(epoch => (epoch.TrainLoss, epoch.TrainAccuracy, epoch.ValidationLoss)), prefetched.History.Select(epoch => (epoch.TrainLoss, epoch.TrainAccuracy, epoch.ValidationLoss)));
    }

    [Fact]
    public void EachBatchHoldsTheRequestedSamplesInOrder()
    {
        Dataset data = Digits.Select(Enumerable.Range(0, 40).ToArray());
        int[] order = Dataset.Permutation(data.Count, seed: 3);
        NetworkWorkspace workspace = TinyDigitsNet.CreateWorkspace(16);
        int[] labels = new int[16];
        float[] targets = [];
        using var batches = new BatchPrefetcher(data, 16, background: true);

        foreach (int start in new[] { 0, 16, 32 })
        {
            int count = Math.Min(16, data.Count - start);
            batches.Request(order, start, count);
            batches.Take(workspace, ref labels, ref targets);

            Dataset expected = data.Select(order.AsSpan(start, count));
            BitAssert.Identical(expected.Images, workspace.Input[..expected.Images.Length], $"images of the batch at {start}");
            Assert.Equal(expected.Labels.ToArray(), labels[..count]);
        }
    }

    [Fact]
    public void AGatheringFailureReachesTheTrainingThread()
    {
        Dataset data = Digits.Select(Enumerable.Range(0, 8).ToArray());
        NetworkWorkspace workspace = TinyDigitsNet.CreateWorkspace(4);
        int[] labels = new int[4];
        float[] targets = [];
        using var batches = new BatchPrefetcher(data, 4, background: true);

        batches.Request([0, 1, 99, 2], 0, 4);

        Assert.ThrowsAny<ArgumentException>(() => batches.Take(workspace, ref labels, ref targets));
    }

    [Fact]
    public void TakingWithoutARequestIsABug()
    {
        using var batches = new BatchPrefetcher(Digits, 4, background: false);
        int[] labels = new int[4];
        float[] targets = [];

        Assert.Throws<InvalidOperationException>(() => batches.Take(TinyDigitsNet.CreateWorkspace(4), ref labels, ref targets));
    }

    private static TrainingResult<EveryLayerNet> Fit(Dataset train, Dataset validation, TrainingOptions options) =>
        Trainer.Fit(EveryLayerNet.Initialize(3), Resize(train), options, Resize(validation))
            .Match(Right: result => result, Left: error => throw new InvalidOperationException(error.Message));

    // EveryLayerNet takes 2x7x6 inputs and gives 3 classes: each digit's pixels, the first 20 twice, and its class mod 3.
    private static Dataset Resize(Dataset digits)
    {
        float[] images = new float[digits.Count * 84];
        int[] labels = digits.Labels.ToArray().Select(label => label % 3).ToArray();
        for (int n = 0; n < digits.Count; n++)
        {
            digits.Images.Slice(n * 64, 64).CopyTo(images.AsSpan(n * 84));
            digits.Images.Slice(n * 64, 20).CopyTo(images.AsSpan(n * 84 + 64));
        }

        return Dataset.Create(digits.Name, images, labels, 2, 7, 6, 3)
            .Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
    }
}

/// <summary>The prefetch thread's lifetime and allocations, which only a test alone in the process can count.</summary>
[Collection(AloneCollection.Name)]
public sealed class PrefetchLifetimeTests
{
    private static readonly Dataset Digits = DigitsData.LoadEmbedded();

    [Fact]
    public void TheThreadEndsWhenARunFinishesFailsOrStopsEarly()
    {
        Dataset train = Digits.Select(Enumerable.Range(0, 200).ToArray()), validation = Digits.Select(Enumerable.Range(200, 100).ToArray());
        var options = new TrainingOptions(Epochs: 2, BatchSize: 16, Seed: 1);

        Assert.True(Trainer.Fit(TinyDigitsNet.Initialize(1), train, options).IsRight);
        Assert.Equal(0, BatchPrefetcher.LiveThreads);

        var thrown = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(TinyDigitsNet.Initialize(1), train, options, progress: new ThrowAtStep(3)));
        Assert.Equal("the progress display failed", thrown.Message);
        Assert.Equal(0, BatchPrefetcher.LiveThreads);

        // A learning rate that diverges: the run stops at the first non-finite loss, mid-epoch, a batch already requested.
        TrainingResult<TinyDigitsNet> diverged = Trainer.Fit(TinyDigitsNet.Initialize(1), train, options with { Optimizer = new Sgd(1e30f) })
            .Match(Right: result => result, Left: error => throw new InvalidOperationException(error.Message));
        Assert.NotNull(diverged.StopReason);
        Assert.Equal(0, BatchPrefetcher.LiveThreads);

        TrainingResult<TinyDigitsNet> stopped = Trainer.Fit(TinyDigitsNet.Initialize(1), train, options with { Epochs = 30, Optimizer = new Adam(0.5f), Patience = 1 }, validation)
            .Match(Right: result => result, Left: error => throw new InvalidOperationException(error.Message));
        Assert.StartsWith("Early stopping", stopped.StopReason);
        Assert.Equal(0, BatchPrefetcher.LiveThreads);
    }

    [Fact]
    public void TakingBatchesAllocatesNothingOnEitherThread()
    {
        int[] order = Dataset.Permutation(Digits.Count, seed: 2);
        NetworkWorkspace workspace = TinyDigitsNet.CreateWorkspace(32);
        int[] labels = new int[32];
        float[] targets = [];
        using var batches = new BatchPrefetcher(Digits, 32, background: true);
        void Batches(int first, int count)
        {
            for (int step = first; step < first + count; step++)
            {
                batches.Request(order, step * 32, 32);
                batches.Take(workspace, ref labels, ref targets);
            }
        }

        Batches(0, 3);
        long background = batches.BackgroundAllocatedBytes;
        long caller = GC.GetAllocatedBytesForCurrentThread();
        Batches(3, 20);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
        Assert.Equal(background, batches.BackgroundAllocatedBytes);
    }

    private sealed class ThrowAtStep(int failing) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value)
        {
            if (value is StepCompleted { Step: var step } && step == failing)
            {
                throw new InvalidOperationException("the progress display failed");
            }
        }
    }
}
