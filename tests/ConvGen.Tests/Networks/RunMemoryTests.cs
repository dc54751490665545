using ConvGen.Data;
using ConvGen.Layers;
using ConvGen.Samples.Mnist;
using ConvGen.Tests.Composition;
using ConvGen.Training;

namespace ConvGen.Tests.Networks;

/// <summary>
/// What a run needs, known before it allocates: the per-sample workspace estimate holds against what workspaces really
/// allocate, a batch the workspace or the memory cannot hold is an error value naming the batch size, and inference
/// goes in chunks whose memory does not grow with the number of samples.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class RunMemoryTests
{
    public static TheoryData<string> Networks =>
    [
        nameof(TinyDigitsNet), nameof(EveryLayerNet), nameof(EveryOptionNet), nameof(BatchNormNet), nameof(SequenceNet),
        nameof(SoftmaxNet), nameof(LeNet5), nameof(MnistNet), "Sequential " + nameof(EveryLayerNet), "Sequential " + nameof(LeNet5),
    ];

    [Theory]
    [MemberData(nameof(Networks))]
    public void TheWorkspaceEstimateBoundsWhatAWorkspaceAllocatesPerSample(string name)
    {
        (NetworkLayout layout, Func<int, NetworkWorkspace> create) = Network(name);
        create(1);

        // Buffers grow linearly with the capacity; the difference between two capacities is 64 samples' worth. A workspace
        // is built on the calling thread, whose count no background thread of the test host can disturb.
        long one = AllocatedOnThisThreadBy(() => create(1)), many = AllocatedOnThisThreadBy(() => create(65));
        long perSample = (many - one) / 64, estimate = RunMemory.WorkspaceBytesPerSample(layout);

        Assert.True(estimate >= perSample, $"{name}: estimated {estimate} bytes a sample but a workspace takes {perSample}");
        Assert.True(estimate <= 2 * perSample, $"{name}: estimated {estimate} bytes a sample, over twice the {perSample} a workspace takes");
    }

    [Fact]
    public void ABatchBeyondWhatAWorkspaceCanHoldIsAnErrorNotAnException()
    {
        // 1024 channels of 64 x 64: 4,194,304 values a sample, so one array holds 511 samples of the largest activation.
        Sequential network = Sequential.Create((1, 64, 64), [new Layers.Conv2d(1024) { Kernel = 1 }, new GlobalAvgPool2d(), new Flatten(), new Linear(1024, 2)], name: "WideNet")
            .Match(Succ: created => created, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
        Dataset data = Dataset.Create("blank", new float[600 * 64 * 64], new int[600], 1, 64, 64, 2).Match(Right: d => d, Left: e => throw new InvalidOperationException(e.Message));

        string error = Trainer.Fit(network.Initialize(1), data, new TrainingOptions(Epochs: 1, BatchSize: 600))
            .Match(Right: _ => "trained", Left: e => e.Message);

        Assert.Equal(
            "The batch size 600 is more than a workspace of WideNet can hold: its largest activation has 4194304 values per sample, " +
            "so one buffer holds at most 511 samples.",
            error);
    }

    [Theory]
    [InlineData(256L << 20)]
    [InlineData(1L << 30)]
    public void TheBatchSizeAnErrorSuggestsIsTheLargestThatFits(long available)
    {
        NetworkLayout layout = MnistNet.Layout;
        var adam = new Adam();

        string error = RunMemory.CheckTraining(layout, 80_000, adam, validationCount: 0, available)!;
        int suggested = int.Parse(error.Split("a batch size of at most ")[1].Split(" fits")[0], System.Globalization.CultureInfo.InvariantCulture);

        Assert.StartsWith("The batch size 80000 needs about ", error);
        Assert.Null(RunMemory.CheckTraining(layout, suggested, adam, 0, available));
        Assert.NotNull(RunMemory.CheckTraining(layout, suggested + 1, adam, 0, available));
    }

    [Fact]
    public void PredictRunsInChunksAndGivesWhatOnePassOverEverySampleGives()
    {
        const int count = 600;
        MnistNet model = MnistNet.Initialize(3);
        var random = new Random(4);
        float[] images = new float[count * MnistNet.InputSize];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = (float)random.NextDouble();
        }

        // The truth: one workspace for all 600, as Predict used to build (about 260 MB with its gradient buffers).
        NetworkWorkspace whole = MnistNet.CreateWorkspace(count);
        images.CopyTo(whole.Input);
        whole.Forward(model.Parameters.Values, count, training: false, seed: 0);
        float[] expected = whole.Output.ToArray();
        whole = null!;
        GC.Collect();

        float[] outputs = [];
        long allocated = AllocatedBy(() => outputs = model.Predict(images, count));

        BitAssert.Identical(expected, outputs, "the chunked outputs");
        Assert.True(RunMemory.InferenceBatch(MnistNet.Layout, count) < count, "600 samples should take more than one chunk");
        Assert.True(allocated < 80L << 20, $"Predict of {count} samples allocated {allocated} bytes");
    }

    private static (NetworkLayout Layout, Func<int, NetworkWorkspace> Create) Network(string name) => name switch
    {
        nameof(TinyDigitsNet) => (TinyDigitsNet.Layout, TinyDigitsNet.CreateWorkspace),
        nameof(EveryLayerNet) => (EveryLayerNet.Layout, EveryLayerNet.CreateWorkspace),
        nameof(EveryOptionNet) => (EveryOptionNet.Layout, EveryOptionNet.CreateWorkspace),
        nameof(BatchNormNet) => (BatchNormNet.Layout, BatchNormNet.CreateWorkspace),
        nameof(SequenceNet) => (SequenceNet.Layout, SequenceNet.CreateWorkspace),
        nameof(SoftmaxNet) => (SoftmaxNet.Layout, SoftmaxNet.CreateWorkspace),
        nameof(LeNet5) => (LeNet5.Layout, LeNet5.CreateWorkspace),
        nameof(MnistNet) => (MnistNet.Layout, MnistNet.CreateWorkspace),
        "Sequential " + nameof(EveryLayerNet) => (EquivalentNetworks.EveryLayer.Layout, EquivalentNetworks.EveryLayer.CreateWorkspace),
        "Sequential " + nameof(LeNet5) => (EquivalentNetworks.LeNet.Layout, EquivalentNetworks.LeNet.CreateWorkspace),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static long AllocatedOnThisThreadBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    // Bytes allocated by every thread while `action` runs.
    private static long AllocatedBy(Action action)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        action();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
