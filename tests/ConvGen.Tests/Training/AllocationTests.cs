using ConvGen.Kernels;
using ConvGen.Kernels.Parallel;
using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>
/// Big enough that the convolutions and the linear layer take the packed, multi-threaded GEMM path (with channels
/// too many for the wide-row convolutions, which <see cref="AllocationBatchNormNet"/> and <see cref="LeNet5"/> take).
/// </summary>
[Network(InputChannels = 1, InputHeight = 16, InputWidth = 16)]
[Conv2d(32, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(32, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Flatten, Linear(512, 64), ReLU, Dropout(0.5), Linear(64, 10)]
public sealed partial record AllocationNet;

/// <summary>Batch norms after the convolutions: batch statistics, running updates and their backward.</summary>
[Network(InputChannels = 1, InputHeight = 16, InputWidth = 16)]
[Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Flatten, Linear(256, 64), ReLU, Dropout(0.5), Linear(64, 10)]
public sealed partial record AllocationBatchNormNet;

/// <summary>A training step in steady state allocates nothing, on the caller's thread or on the kernels' workers.</summary>
[Collection(AloneCollection.Name)]
public sealed class AllocationTests
{
    private const int Batch = 32;

    [Fact]
    public void ATrainingStepAllocatesNothingOnceWarm()
    {
        NetworkWorkspace workspace = AllocationNet.CreateWorkspace(Batch);
        float[] parameters = AllocationNet.Initialize(seed: 0).Parameters.Values.ToArray();
        float[] gradients = new float[AllocationNet.ParameterCount];
        int[] labels = new int[Batch];
        var random = new Random(1);
        for (int i = 0; i < workspace.Input.Length; i++)
        {
            workspace.Input[i] = (float)random.NextDouble();
        }

        for (int i = 0; i < Batch; i++)
        {
            labels[i] = random.Next(AllocationNet.OutputSize);
        }

        var optimizer = new Adam();
        OptimizerState state = optimizer.CreateState(AllocationNet.ParameterCount);
        ulong step = 0;
        AssertStepsAllocateNothing(() =>
        {
            workspace.Forward(parameters, Batch, training: true, seed: step++);
            CrossEntropy.LossAndGradient(workspace.Output, labels, workspace.OutputGradient, Batch, AllocationNet.OutputSize);
            workspace.Backward(parameters, Batch, gradients);
            optimizer.Update(parameters, gradients, state);
        });
    }

    [Theory]
    [InlineData(TrainingLoss.CrossEntropy)]
    [InlineData(TrainingLoss.Nll)]
    [InlineData(TrainingLoss.BceWithLogits)]
    [InlineData(TrainingLoss.Mse)]
    public void AnEngineStepWithAnyLossAndTheL2PenaltyAllocatesNothingOnceWarm(TrainingLoss loss)
    {
        var optimizer = new Adam();
        var engine = new TrainingEngine<AllocationNet>(NetworkDefinition.Of<AllocationNet>(), 
            AllocationNet.Initialize(seed: 0), optimizer, optimizer.CreateState(AllocationNet.Layout.TrainableCount), Batch, loss, l2Penalty: 1e-3f);
        AssertEngineStepsAllocateNothing(engine, AllocationNet.OutputSize);
    }

    [Theory]
    [InlineData(TrainingLoss.Mse)]
    [InlineData(TrainingLoss.BceWithLogits)]
    public void AnEngineStepOnFloatTargetsAllocatesNothingOnceWarm(TrainingLoss loss)
    {
        var optimizer = new Adam();
        var engine = new TrainingEngine<AllocationNet>(NetworkDefinition.Of<AllocationNet>(),
            AllocationNet.Initialize(seed: 0), optimizer, optimizer.CreateState(AllocationNet.Layout.TrainableCount), Batch, loss, floatTargets: true);
        var random = new Random(3);
        for (int i = 0; i < engine.Targets.Length; i++)
        {
            engine.Targets[i] = random.Next(2);
        }

        AssertEngineStepsAllocateNothing(engine, AllocationNet.OutputSize);
    }

    [Fact]
    public void ATrainingEngineStepThroughBatchNormAllocatesNothingOnceWarm()
    {
        var engine = new TrainingEngine<AllocationBatchNormNet>(NetworkDefinition.Of<AllocationBatchNormNet>(), 
            AllocationBatchNormNet.Initialize(seed: 0), new Adam(WeightDecay: 0.01f), new Adam().CreateState(AllocationBatchNormNet.Layout.TrainableCount), Batch,
            l2Penalty: 1e-3f);
        AssertEngineStepsAllocateNothing(engine, AllocationBatchNormNet.OutputSize);
    }

    [Fact]
    public void ALeNetEngineStepAllocatesNothingOnceWarm()
    {
        // Wide-row convolutions, sigmoids split between the cores, vectorised average pools.
        var optimizer = new Adam();
        var engine = new TrainingEngine<LeNet5>(NetworkDefinition.Of<LeNet5>(),
            LeNet5.Initialize(seed: 0), optimizer, optimizer.CreateState(LeNet5.Layout.TrainableCount), Batch);
        AssertEngineStepsAllocateNothing(engine, LeNet5.OutputSize);
    }

    private static void AssertEngineStepsAllocateNothing<TNet>(TrainingEngine<TNet> engine, int classes)
        where TNet : class, INetwork<TNet>
    {
        var random = new Random(2);
        for (int i = 0; i < engine.Input.Length; i++)
        {
            engine.Input[i] = (float)random.NextDouble();
        }

        int[] labels = Enumerable.Range(0, Batch).Select(_ => random.Next(classes)).ToArray();
        ulong step = 0;
        // Each step's rate comes from a per-batch schedule, as in Trainer.Fit: computing it must allocate nothing either.
        LearningRateSchedule schedule = SequentialSchedule.WarmupThen(LinearRamp.Warmup(3), new MultiStepDecay([5, 9], 0.5)) with { Interval = ScheduleInterval.Batch };
        AssertStepsAllocateNothing(() =>
        {
            float rate = schedule.RateFor(epochIndex: 0, runStep: (int)step, baseRate: 1e-3f);
            Assert.True(engine.Step(labels, Batch, step++, rate).Outcome == StepOutcome.Taken);
        });
    }

    // Runs the step to warm up, then again counting what every thread allocates.
    private static void AssertStepsAllocateNothing(Action trainingStep)
    {
        void Steps(int count)
        {
            for (int i = 0; i < count; i++)
            {
                trainingStep();
            }
        }

        // Warm-up grows every thread's scratch to its final size and gets the JIT out of the way.
        Steps(5);
        // The test host's own threads allocate in the background, so the process total proves nothing: count per thread.
        var before = new ThreadAllocations(new long[PoolProbeParts * 2]);
        var after = new ThreadAllocations(new long[PoolProbeParts * 2]);
        before.Record();
        long callerBefore = GC.GetAllocatedBytesForCurrentThread();
        Steps(10);
        long callerBytes = GC.GetAllocatedBytesForCurrentThread() - callerBefore;
        after.Record();

        Assert.Equal(0, callerBytes);
        foreach ((long threadId, long bytes) in before.ThreadTotals())
        {
            if (after.ThreadTotals().TryGetValue(threadId, out long later))
            {
                Assert.True(later == bytes, $"worker thread {threadId} allocated {later - bytes} bytes during 10 training steps");
            }
        }
    }

    private const int PoolProbeParts = 64;

    /// <summary>Each thread of the kernels' worker pool, as it takes parts of a job, notes how much it has allocated.</summary>
    private sealed class ThreadAllocations(long[] samples)
    {
        public unsafe void Record()
        {
            fixed (long* start = samples)
            {
                var work = new Probe(start);
                WorkerPool.Run(ref work, PoolProbeParts);
            }
        }

        public Dictionary<long, long> ThreadTotals()
        {
            var totals = new Dictionary<long, long>();
            for (int part = 0; part < PoolProbeParts; part++)
            {
                totals[samples[2 * part]] = Math.Max(totals.GetValueOrDefault(samples[2 * part]), samples[2 * part + 1]);
            }

            return totals;
        }

        private readonly unsafe struct Probe(long* samples) : IPartitionedWork
        {
            public void Execute(int part)
            {
                // Linger a little so that every worker wakes and takes some parts.
                Thread.SpinWait(20_000);
                samples[2 * part] = Environment.CurrentManagedThreadId;
                samples[2 * part + 1] = GC.GetAllocatedBytesForCurrentThread();
            }
        }
    }
}
