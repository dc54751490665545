using ConvGen.Data;
using ConvGen.Kernels;
using ConvGen.Tests.Composition;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// Augmentation inside a run: the trainer trains on exactly what <see cref="Augmentation.ApplyTo"/> shows for each
/// epoch, so a fixed pipeline equals transforming the data beforehand, bit for bit; prefetch on or off gives the same
/// weights; generated and run-time networks alike; and a pipeline that cannot fit the data is an error before any step.
/// </summary>
public sealed class AugmentedTrainingTests
{
    private static readonly Dataset Digits = DigitsData.LoadEmbedded().Select([.. Enumerable.Range(0, 200)]);

    internal static readonly Augmentation Everything = new(
        new RandomCrop(1), new RandomHorizontalFlip(), new RandomAffine(15f, 0.1f, 0.1f) { Interpolation = Interpolation.Bilinear }, new Normalize(0.3f, 0.4f));

    [Fact]
    public void AFlipEveryTimeAndANormalizationTrainAsTheTransformedDataDoes()
    {
        var options = new TrainingOptions(Epochs: 2, BatchSize: 16, new Adam(3e-3f), Seed: 4);
        var fixedPipeline = new Augmentation(new RandomHorizontalFlip(1f), new Normalize(0.25f, 0.5f));
        // Mirroring and normalizing commute: the data normalized as Dataset.Normalize does, then mirrored by hand.
        Dataset transformed = Flipped(Value(Digits.Normalize(0.25f, 0.5f)));

        float[] augmented = Weights(Trainer.Fit(TinyDigitsNet.Initialize(2), Digits, options with { Augmentation = fixedPipeline }));
        float[] beforehand = Weights(Trainer.Fit(TinyDigitsNet.Initialize(2), transformed, options));

        BitAssert.Identical(beforehand, augmented, "weights trained on augmented batches and on the transformed data");
    }

    [Fact]
    public void ARunTrainsOnWhatApplyToShowsForEachEpoch()
    {
        int[] order = Dataset.Permutation(Digits.Count, seed: 9);
        NetworkWorkspace workspace = TinyDigitsNet.CreateWorkspace(32);
        int[] labels = new int[32];
        float[] targets = [];
        using var batches = new BatchPrefetcher(Digits, 32, background: true, BatchAugmenter.For(Everything, seed: 5, Digits));

        foreach (int epoch in new[] { 1, 2 })
        {
            Dataset expected = Value(Everything.ApplyTo(Digits, seed: 5, epoch)).Select(order.AsSpan(64, 32));
            batches.Request(order, 64, 32, epoch);
            batches.Take(workspace, ref labels, ref targets);

            BitAssert.Identical(expected.Images, workspace.Input[..expected.Images.Length], $"the augmented batch of epoch {epoch}");
            Assert.Equal(expected.Labels.ToArray(), labels);
        }
    }

    [Fact]
    public void PrefetchOnOrOffGivesTheSameBitsAndTheAugmentationMatters()
    {
        var options = new TrainingOptions(Epochs: 2, BatchSize: 24, new Adam(3e-3f), Seed: 6) { Augmentation = Everything };

        float[] prefetched = Weights(Trainer.Fit(TinyDigitsNet.Initialize(1), Digits, options));
        float[] inLine = Weights(Trainer.Fit(TinyDigitsNet.Initialize(1), Digits, options with { Prefetch = false }));
        float[] plain = Weights(Trainer.Fit(TinyDigitsNet.Initialize(1), Digits, options with { Augmentation = null }));

        BitAssert.Identical(inLine, prefetched, "augmented weights with prefetch off and on");
        Assert.NotEqual(plain, prefetched);
    }

    [Fact]
    public void ARunTimeNetworkTrainsOnTheSameAugmentedBatchesAsItsGeneratedTwin()
    {
        var options = new TrainingOptions(Epochs: 2, BatchSize: 24, new Adam(3e-3f), Seed: 6) { Augmentation = Everything };

        float[] generated = Weights(Trainer.Fit(TinyDigitsNet.Initialize(1), Digits, options));
        float[] composed = Trainer.Fit(EquivalentNetworks.TinyDigits.Initialize(1), Digits, options)
            .Match(Right: result => result.Model.Parameters.Values.ToArray(), Left: error => throw new InvalidOperationException(error.Message));

        BitAssert.Identical(generated, composed, "weights of the generated and the run-time network");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APipelineThatCannotRunIsAnErrorBeforeAnyStep(bool forTheData)
    {
        Augmentation augmentation = forTheData ? new(new Normalize([0.5f, 0.5f, 0.5f], [0.2f, 0.2f, 0.2f])) : new(new RandomCrop(-2));
        var options = new TrainingOptions(Epochs: 1, BatchSize: 8) { Augmentation = augmentation };

        string message = Trainer.Fit(TinyDigitsNet.Initialize(1), Digits, options).Match(Right: _ => "trained", Left: error => error.Message);

        Assert.Equal(
            forTheData
                ? $"{Digits.Name}: Normalize: has 3 means and standard deviations for samples of 1 channels; give one per channel, or one for all."
                : "RandomCrop: the padding must be at least 0, got -2.",
            message);
    }

    internal static float[] Weights(LanguageExt.Either<ConvGenError, TrainingResult<TinyDigitsNet>> run) =>
        run.Match(Right: result => result.Model.Parameters.Values.ToArray(), Left: error => throw new InvalidOperationException(error.Message));

    private static Dataset Value(LanguageExt.Either<ConvGenError, Dataset> data) =>
        data.Match(Right: value => value, Left: error => throw new InvalidOperationException(error.Message));

    // Every row of every sample mirrored, by hand.
    private static Dataset Flipped(Dataset data)
    {
        float[] images = data.Images.ToArray();
        for (int row = 0; row < images.Length / data.Width; row++)
        {
            Array.Reverse(images, row * data.Width, data.Width);
        }

        return Value(Dataset.Create(data.Name, images, data.Labels, data.Channels, data.Height, data.Width, data.Classes));
    }
}

/// <summary>Augmented runs on one thread and two, and the prefetch thread's allocations: alone in the process.</summary>
[Collection(AloneCollection.Name)]
public sealed class AugmentedTrainingThreadTests
{
    private static readonly Dataset Digits = DigitsData.LoadEmbedded().Select([.. Enumerable.Range(0, 200)]);

    [Fact]
    public void OneThreadAndTwoGiveBitIdenticalAugmentedRuns()
    {
        var options = new TrainingOptions(Epochs: 2, BatchSize: 24, new Adam(3e-3f), Seed: 8) { Augmentation = AugmentedTrainingTests.Everything };
        int original = KernelThreads.Count;
        float[] one, two;
        try
        {
            KernelThreads.Count = 1;
            one = AugmentedTrainingTests.Weights(Trainer.Fit(TinyDigitsNet.Initialize(3), Digits, options));
            KernelThreads.Count = Math.Min(2, KernelThreads.Maximum);
            two = AugmentedTrainingTests.Weights(Trainer.Fit(TinyDigitsNet.Initialize(3), Digits, options with { Prefetch = false }));
        }
        finally
        {
            KernelThreads.Count = original;
        }

        BitAssert.Identical(one, two, "augmented weights on one thread with prefetch and on two without");
    }

    [Fact]
    public void AugmentingBatchesAllocatesNothingOnThePrefetchThread()
    {
        int[] order = Dataset.Permutation(Digits.Count, seed: 2);
        NetworkWorkspace workspace = TinyDigitsNet.CreateWorkspace(20);
        int[] labels = new int[20];
        float[] targets = [];
        using var batches = new BatchPrefetcher(Digits, 20, background: true, BatchAugmenter.For(AugmentedTrainingTests.Everything, seed: 1, Digits));
        void Batches(int epoch)
        {
            for (int step = 0; step < 10; step++)
            {
                batches.Request(order, step * 20, 20, epoch);
                batches.Take(workspace, ref labels, ref targets);
            }
        }

        Batches(epoch: 1);
        long background = batches.BackgroundAllocatedBytes;
        long caller = GC.GetAllocatedBytesForCurrentThread();
        Batches(epoch: 2);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - caller);
        Assert.Equal(background, batches.BackgroundAllocatedBytes);
    }
}
