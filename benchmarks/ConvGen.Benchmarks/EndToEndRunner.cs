using ConvGen.Kernels;
using ConvGen.Training;

namespace ConvGen.Benchmarks;

/// <summary>
/// Times whole networks through the public API exactly as a training loop drives it: full training steps (forward,
/// cross-entropy, backward, Adam) and inference passes, printed as images per second, one line per case; MnistNet's
/// inference also exported to ONNX and run in ONNX Runtime, in the same process on the same inputs.
/// benchmarks/pytorch/bench.py runs the same cases under the same names, which is how run.sh pairs them.
/// </summary>
public static class EndToEndRunner
{
    // Each timed run covers a fixed number of images, so a larger batch takes fewer steps.
    private const int TrainingImagesPerRun = 1280;
    private const int InferenceImagesPerRun = 5120;
    private const int Runs = 9;

    // Warm-up lasts at least this long, as in bench.py: a LeNet run is a tenth of a second.
    private const double WarmupSeconds = 1.0;

    // A profile records a single run, so its warm-up must reach the JIT's last tier: methods called once per step (the
    // generated passes, the optimizer) were still in tier 0 after two runs, which put 5% on the step.
    private const double ProfileWarmupSeconds = 4.0;

    /// <summary>Every case, or only <paramref name="network"/>'s ("mnist", "lenet" or "resnet").</summary>
    public static void Run(string? network)
    {
        bool mnist = network is null or "mnist", lenet = network is null or "lenet", resnet = network is null or "resnet";
        if (!mnist && !lenet && !resnet)
        {
            throw new ArgumentException($"e2e: unknown network '{network}'; choose mnist, lenet or resnet.", nameof(network));
        }

        Console.WriteLine($"ConvGen e2e: {Environment.ProcessorCount} cores, MnistNet ({MnistNet.ParameterCount:N0} parameters), LeNet ({LeNet.ParameterCount:N0}), {Runs} runs per case");
        if (mnist)
        {
            Train<MnistNet>("mnist", batch: 64);
            Train<MnistNet>("mnist", batch: 256);
        }

        if (lenet)
        {
            Train<LeNet>("lenet", batch: 256);
        }

        if (mnist)
        {
            Infer<MnistNet>("mnist", batch: 256, alsoInOnnxRuntime: true);
        }

        if (lenet)
        {
            Infer<LeNet>("lenet", batch: 256);
        }

        // samples/ResNet's network: residual sums, projection shortcuts, BatchNorm after every convolution.
        if (resnet)
        {
            Train<ConvGen.Samples.ResNet.FashionResNet>("resnet", batch: 64);
            Infer<ConvGen.Samples.ResNet.FashionResNet>("resnet", batch: 256);
        }
    }

    /// <summary>
    /// Where the time of <paramref name="network"/>'s e2e cases goes (samples/ResNet's network when null), kernel by
    /// kernel: the training case's steps and the inference case's passes, each recorded by <see cref="KernelProfiler"/>
    /// after a warm-up of a few seconds and printed per step.
    /// </summary>
    public static void Profile(string? network)
    {
        switch (network ?? "resnet")
        {
            case "mnist":
                Profile<MnistNet>("mnist", trainingBatch: 64);
                break;
            case "lenet":
                Profile<LeNet>("lenet", trainingBatch: 256);
                break;
            case "resnet":
                Profile<ConvGen.Samples.ResNet.FashionResNet>("resnet", trainingBatch: 64);
                break;
            default:
                throw new ArgumentException($"profile: unknown network '{network}'; choose mnist, lenet or resnet.", nameof(network));
        }
    }

    private static void Profile<TNet>(string name, int trainingBatch)
        where TNet : class, INetwork<TNet>
    {
        const int inferenceBatch = 256;
        int steps = TrainingImagesPerRun / trainingBatch, passes = InferenceImagesPerRun / inferenceBatch;
        var training = new TrainingLoop<TNet>(trainingBatch, steps);
        Measurement.WarmUp(training.Steps, warmups: 2, ProfileWarmupSeconds);
        Console.WriteLine($"train {name} batch {trainingBatch}, {Environment.ProcessorCount} cores, per step (mean of {steps}):");
        Console.WriteLine(KernelProfiler.Record(training.Steps).Format(steps));
        var inference = new InferenceLoop<TNet>(inferenceBatch, passes);
        Measurement.WarmUp(inference.Passes, warmups: 2, ProfileWarmupSeconds);
        Console.WriteLine();
        Console.WriteLine($"infer {name} batch {inferenceBatch}, {Environment.ProcessorCount} cores, per pass (mean of {passes}):");
        Console.WriteLine(KernelProfiler.Record(inference.Passes).Format(passes));
    }

    private static void Train<TNet>(string name, int batch)
        where TNet : class, INetwork<TNet>
    {
        var training = new TrainingLoop<TNet>(batch, steps: TrainingImagesPerRun / batch);
        Measurement time = Measurement.Of(training.Steps, warmups: 2, Runs, WarmupSeconds);
        Console.WriteLine($"{$"train {name} batch {batch}:",-24} {time.Rate(TrainingImagesPerRun, "images/s")}  loss {training.LastLoss:F4}");
    }

    // With alsoInOnnxRuntime, the same network exported to ONNX runs the same inputs in ONNX Runtime, run for run in
    // turn with ConvGen's, so that both see the same machine.
    private static void Infer<TNet>(string name, int batch, bool alsoInOnnxRuntime = false)
        where TNet : class, INetwork<TNet>
    {
        var inference = new InferenceLoop<TNet>(batch, steps: InferenceImagesPerRun / batch);
        if (!alsoInOnnxRuntime)
        {
            Measurement time = Measurement.Of(inference.Passes, warmups: 2, Runs, WarmupSeconds);
            Console.WriteLine($"{$"infer {name} batch {batch}:",-24} {time.Rate(InferenceImagesPerRun, "images/s")}");
            return;
        }

        using var onnxRuntime = new OnnxRuntimeInference<TNet>(batch, steps: InferenceImagesPerRun / batch, inference.Images);
        (Measurement ours, Measurement theirs) = Measurement.Alternating(inference.Passes, onnxRuntime.Passes, warmups: 2, Runs, WarmupSeconds);
        Console.WriteLine($"{$"infer {name} batch {batch}:",-24} {ours.Rate(InferenceImagesPerRun, "images/s")}");
        Console.WriteLine($"{$"infer {name} batch {batch} onnxruntime:",-24} {theirs.Rate(InferenceImagesPerRun, "images/s")}");
        Console.WriteLine($"{$"infer {name} batch {batch}",-24} ConvGen / ONNX Runtime: {theirs.MedianSeconds / ours.MedianSeconds:F2}x (runs taken in turn)");
    }

    private static void FillRandom(Span<float> values, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble();
        }
    }

    private sealed class TrainingLoop<TNet>
        where TNet : class, INetwork<TNet>
    {
        private readonly int batch, steps;
        private readonly NetworkWorkspace workspace;
        private readonly float[] parameters = TNet.Initialize(seed: 0).Parameters.Values.ToArray();
        // Gradients for every parameter slot, BatchNorm buffers included (the workspace writes them all); Adam moves the learned prefix.
        private readonly float[] gradients = new float[TNet.Layout.ParameterCount];
        private readonly int trainable = TNet.Layout.TrainableCount;
        private readonly int[] labels;
        private readonly Adam optimizer = new();
        private readonly OptimizerState state = new Adam().CreateState(TNet.Layout.TrainableCount);
        private ulong step;

        public TrainingLoop(int batch, int steps)
        {
            (this.batch, this.steps) = (batch, steps);
            workspace = TNet.CreateWorkspace(batch);
            labels = new int[batch];
            var random = new Random(1);
            FillRandom(workspace.Input, random);
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = random.Next(TNet.Layout.OutputSize);
            }
        }

        public float LastLoss { get; private set; }

        public void Steps()
        {
            for (int i = 0; i < steps; i++)
            {
                workspace.Forward(parameters, batch, training: true, seed: step++);
                LastLoss = CrossEntropy.LossAndGradient(workspace.Output, labels, workspace.OutputGradient, batch, TNet.Layout.OutputSize);
                workspace.Backward(parameters, batch, gradients);
                optimizer.Update(parameters.AsSpan(0, trainable), gradients.AsSpan(0, trainable), state);
                workspace.UpdatedBuffers.CopyTo(parameters.AsSpan(trainable));
            }
        }
    }

    private sealed class InferenceLoop<TNet>
        where TNet : class, INetwork<TNet>
    {
        private readonly int batch, steps;
        private readonly NetworkWorkspace workspace;
        private readonly float[] parameters = TNet.Initialize(seed: 0).Parameters.Values.ToArray();

        public InferenceLoop(int batch, int steps)
        {
            (this.batch, this.steps) = (batch, steps);
            workspace = TNet.CreateWorkspace(batch);
            FillRandom(workspace.Input, new Random(2));
        }

        /// <summary>A copy of the inputs every pass reads.</summary>
        public float[] Images => workspace.Input[..(batch * TNet.Layout.InputSize)].ToArray();

        public void Passes()
        {
            for (int i = 0; i < steps; i++)
            {
                workspace.Forward(parameters, batch, training: false, seed: 0);
            }
        }
    }
}
