using ConvGen.Kernels;
using ConvGen.Training;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// <see cref="KernelProfiler"/> against what a network's structure says its training step must call: one convolution
/// forward and weight gradient per step with the layer's shape, no input gradient for the first layer, one fully
/// connected product each way, one Adam update; and the rules around a recording (this thread's kernels only, nothing
/// outside a recording, no nesting, a kernel that throws leaves it intact).
/// </summary>
public sealed class KernelProfilerTests
{
    private const int Batch = 8, Steps = 3;

    [Fact]
    public void ATrainingStepRecordsTheKernelsItsLayersCallWithTheirShapes()
    {
        var workspace = TinyDigitsNet.CreateWorkspace(Batch);
        float[] parameters = TinyDigitsNet.Initialize(seed: 0).Parameters.Values.ToArray();
        var gradients = new float[TinyDigitsNet.Layout.ParameterCount];
        var optimizer = new Adam();
        OptimizerState state = optimizer.CreateState(TinyDigitsNet.Layout.TrainableCount);
        var labels = Enumerable.Range(0, Batch).Select(i => i % 10).ToArray();
        workspace.Input.Fill(0.5f);

        KernelProfile profile = KernelProfiler.Record(() =>
        {
            for (int step = 0; step < Steps; step++)
            {
                workspace.Forward(parameters, Batch, training: true, seed: (ulong)step);
                CrossEntropy.LossAndGradient(workspace.Output, labels, workspace.OutputGradient, Batch, 10);
                workspace.Backward(parameters, Batch, gradients);
                optimizer.Update(parameters, gradients, state);
            }
        });

        // TinyDigitsNet: Conv2d(4, Kernel = 3) on 1x8x8 -> 4x6x6, ReLU, MaxPool2d(2) -> 4x3x3, Flatten, Linear(36, 10).
        const string conv = "8 x 1x8x8 -> 4x6x6, kernel 3x3, stride 1x1";
        Assert.Equal(Steps, Calls(profile, "Convolution.Forward", conv));
        Assert.Equal(Steps, Calls(profile, "Convolution.BackwardWeight", conv));
        Assert.DoesNotContain(profile.Entries, entry => entry.Kernel == "Convolution.BackwardInput");
        Assert.Equal(Steps, Calls(profile, "FullyConnected.Forward", "8 x 36 -> 10 features"));
        Assert.Equal(Steps, Calls(profile, "FullyConnected.BackwardWeight", "8 x 36 -> 10 features"));
        Assert.Equal(Steps, Calls(profile, "Pooling.MaxForward", "32 planes 6x6 -> 3x3, window 2x2, stride 2x2"));
        Assert.Equal(Steps, profile.Entries.Single(entry => entry.Kernel == "Adam.Apply").Calls);
        Assert.Equal(Steps, profile.Entries.Single(entry => entry.Kernel.StartsWith("CrossEntropy", StringComparison.Ordinal)).Calls);

        // One thread, one kernel at a time: the kernels' times fit in the wall clock, the rest is outside them.
        Assert.All(profile.Entries, entry => Assert.True(entry.Total >= TimeSpan.Zero));
        Assert.True(profile.InKernels <= profile.Elapsed, $"{profile.InKernels} in kernels, {profile.Elapsed} in all");
        Assert.Equal(profile.Elapsed - profile.InKernels, profile.OutsideKernels);
        Assert.Equal(profile.Entries.OrderByDescending(entry => entry.Total).Select(entry => entry.Total), profile.Entries.Select(entry => entry.Total));
    }

    [Fact]
    public void NothingIsRecordedOutsideARecordingOrOnOtherThreads()
    {
        var values = new float[64];
        Activations.ReluForward(values, values);

        bool recordingHere = false, recordingThere = true;
        KernelProfile profile = KernelProfiler.Record(() =>
        {
            recordingHere = KernelProfiler.IsRecording;
            var other = new Thread(() =>
            {
                recordingThere = KernelProfiler.IsRecording;
                Activations.ReluForward(values, values);
            });
            other.Start();
            other.Join();
        });

        Assert.Empty(profile.Entries);
        Assert.True(recordingHere);
        Assert.False(recordingThere);
        Assert.False(KernelProfiler.IsRecording);
    }

    [Fact]
    public void ARecordingInsideAnotherIsRefusedAndTheOuterOneGoesOn()
    {
        var values = new float[16];
        InvalidOperationException? refused = null;

        KernelProfile profile = KernelProfiler.Record(() =>
        {
            refused = Assert.Throws<InvalidOperationException>(() => KernelProfiler.Record(() => { }));
            Activations.ReluForward(values, values);
        });

        Assert.Contains("cannot be nested", refused!.Message);
        Assert.Equal(1, Calls(profile, "Activations.ReluForward", "16 values"));
    }

    [Fact]
    public void AKernelThatThrowsIsStillTimedAndTheNextCallIsRecordedOnItsOwn()
    {
        var g = new Conv2dGeometry(1, 4, 4, 1, 2, 2, 3, 3, 1, 1, 0, 0);
        var values = new float[16];

        KernelProfile profile = KernelProfiler.Record(() =>
        {
            Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[3], new float[9], [], new float[4], 1, g));
            Activations.ReluForward(values, values);
        });

        Assert.Equal(1, Calls(profile, "Convolution.Forward", "1 x 1x4x4 -> 1x2x2, kernel 3x3, stride 1x1"));
        Assert.Equal(1, Calls(profile, "Activations.ReluForward", "16 values"));
    }

    [Fact]
    public void TheTableReadsPerRepetitionAndEndsWithTheTimeOutsideKernelsAndTheWallClock()
    {
        var values = new float[32];
        KernelProfile profile = KernelProfiler.Record(() =>
        {
            for (int i = 0; i < 4; i++)
            {
                Activations.ReluForward(values, values);
            }
        });

        string[] lines = profile.Format(repetitions: 2).Split('\n');

        Assert.Equal(["kernel", "shape", "calls", "ms", "share"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Activations.ReluForward", lines[1]);
        Assert.Equal("2", lines[1].Split("  ", StringSplitOptions.RemoveEmptyEntries).Select(cell => cell.Trim()).ElementAt(2));
        Assert.StartsWith("(outside kernels)", lines[2]);
        Assert.StartsWith("(wall clock)", lines[3]);
        Assert.EndsWith("100.0%", lines[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => profile.Format(repetitions: 0));
    }

    private static int Calls(KernelProfile profile, string kernel, string shape) =>
        profile.Entries.SingleOrDefault(entry => entry.Kernel == kernel && entry.Shape == shape)?.Calls ?? 0;
}
