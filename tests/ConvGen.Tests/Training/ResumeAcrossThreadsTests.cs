using ConvGen.Data;
using ConvGen.Kernels;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// A run stopped on one kernel thread and resumed on two ends bit for bit as the run that used two throughout: the
/// thread count is no part of a run's path. Alone in the process, since the thread count is a process-wide setting.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ResumeAcrossThreadsTests
{
    [Fact]
    public void StoppedOnOneThreadAndResumedOnTwoIsTheRunOnTwo()
    {
        // AllocationNet is big enough for the packed, multi-threaded GEMM and grouped convolution paths.
        Dataset data = ThreadCountTests.RandomImages(count: 96, side: 16, seed: 4);
        var options = new TrainingOptions(Epochs: 2, BatchSize: 32, new Sgd(0.05f, Momentum: 0.9f), Seed: 6) { Schedule = new ExponentialDecay(0.8) };
        int original = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 2;
            float[] whole = Value(Trainer.Fit(AllocationNet.Initialize(6), data, options)).Model.Parameters.Values.ToArray();

            KernelThreads.Count = 1;
            using var cancel = new CancelAfter(4);
            TrainingResult<AllocationNet> stopped = Value(Trainer.Fit(AllocationNet.Initialize(6), data, options, progress: cancel, cancellationToken: cancel.Token));
            KernelThreads.Count = 2;
            TrainingResult<AllocationNet> resumed = Value(Trainer.Resume(stopped.Checkpoint!, data, options));

            Assert.True(stopped.Cancelled);
            BitAssert.Identical(whole, resumed.Model.Parameters.Values, "AllocationNet's weights");
        }
        finally
        {
            KernelThreads.Count = original;
        }
    }

    private static T Value<T>(LanguageExt.Either<ConvGenError, T> result) =>
        result.Match(Right: value => value, Left: error => throw new InvalidOperationException(error.Message));
}
