using ConvGen.Data;
using ConvGen.Kernels;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// Determinism whatever the thread count: the kernels split their work in parts fixed by the shapes and the batch, and
/// add partial sums in a fixed order, so one thread and two give the same weights after the same steps, bit for bit.
/// Alone in the process, since the thread count is a process-wide setting.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ThreadCountTests
{
    // AllocationNet is big enough for the packed, multi-threaded GEMM and grouped convolution paths.
    [Fact]
    public void OneThreadAndTwoGiveBitIdenticalWeights() =>
        AssertOneThreadAndTwoAgree<AllocationNet>(RandomImages(count: 96, side: 16, seed: 4), new TrainingOptions(Epochs: 2, BatchSize: 32, new Adam(1e-3f), Seed: 6));

    // LeNet: wide-row convolutions, sigmoids long enough to be split, average pools over many planes.
    [Fact]
    public void OneThreadAndTwoGiveBitIdenticalWeightsThroughLeNet() =>
        AssertOneThreadAndTwoAgree<LeNet5>(RandomImages(count: 64, side: 28, seed: 5), new TrainingOptions(Epochs: 1, BatchSize: 32, new Adam(1e-3f), Seed: 7));

    // Float targets (regression with MSE) go through their own loss and metrics: those too must not depend on the threads.
    [Fact]
    public void OneThreadAndTwoGiveBitIdenticalWeightsOnFloatTargets()
    {
        var random = new Random(8);
        Dataset images = RandomImages(count: 64, side: 16, seed: 9);
        Dataset data = images.WithTargets([.. Enumerable.Range(0, images.Count * AllocationNet.OutputSize).Select(_ => (float)random.NextDouble() * 4 - 2)], AllocationNet.OutputSize)
            .Match(Right: dataset => dataset, Left: error => throw new InvalidOperationException(error.Message));

        AssertOneThreadAndTwoAgree<AllocationNet>(data, new TrainingOptions(Epochs: 1, BatchSize: 32, new Adam(1e-3f), Seed: 8) { Loss = TrainingLoss.Mse });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ACountOutsideOneToTheCoresIsRefused(int threads)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = threads);

        Assert.Contains($"The kernels can use 1 to {KernelThreads.Maximum} threads on this machine.", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = KernelThreads.Maximum + 1);
    }

    private static void AssertOneThreadAndTwoAgree<TNet>(Dataset data, TrainingOptions options)
        where TNet : class, INetwork<TNet>
    {
        float[] oneThread = TrainWith<TNet>(threads: 1, data, options);
        float[] twoThreads = TrainWith<TNet>(threads: 2, data, options);

        BitAssert.Identical(oneThread, twoThreads, $"{TNet.Layout.NetworkName}'s weights after training on 1 and on 2 threads");
        Assert.NotEqual(TNet.Initialize(options.Seed).Parameters.Values.ToArray(), oneThread);
    }

    private static float[] TrainWith<TNet>(int threads, Dataset data, TrainingOptions options)
        where TNet : class, INetwork<TNet>
    {
        int original = KernelThreads.Count;
        try
        {
            KernelThreads.Count = threads;
            Assert.Equal(threads, KernelThreads.Count);
            return Trainer.Fit(TNet.Initialize(options.Seed), data, options)
                .Match(Right: result => result.Model.Parameters.Values.ToArray(), Left: error => throw new InvalidOperationException(error.Message));
        }
        finally
        {
            KernelThreads.Count = original;
        }
    }

    internal static Dataset RandomImages(int count, int side, int seed)
    {
        var random = new Random(seed);
        float[] images = Enumerable.Range(0, count * side * side).Select(_ => (float)random.NextDouble()).ToArray();
        int[] labels = Enumerable.Range(0, count).Select(_ => random.Next(10)).ToArray();
        return Dataset.Create($"random {side}x{side}", images, labels, 1, side, side, 10)
            .Match(Right: dataset => dataset, Left: error => throw new InvalidOperationException(error.Message));
    }
}
