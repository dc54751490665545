using ConvGen.Kernels;
using ConvGen.Training;

namespace ConvGen.Benchmarks;

/// <summary>
/// Times <see cref="MnistNet"/> through the public API exactly as a training loop drives it: full training steps
/// (forward, cross-entropy, backward, Adam) at batch 64 and inference at batch 256, printed as images per second.
/// </summary>
public static class EndToEndRunner
{
    private const int TrainingBatch = 64;
    private const int InferenceBatch = 256;
    private const int StepsPerRun = 20;
    private const int Runs = 9;

    public static void Run()
    {
        Console.WriteLine($"ConvGen e2e: {Environment.ProcessorCount} cores, MnistNet ({MnistNet.ParameterCount:N0} parameters), {StepsPerRun} steps per run, {Runs} runs");
        var training = new TrainingLoop();
        Measurement step = Measurement.Of(training.Steps, warmups: 2, Runs);
        Console.WriteLine($"train  batch {TrainingBatch}: {step.Rate(TrainingBatch * StepsPerRun, "images/s")}  loss {training.LastLoss:F4}");

        var inference = new InferenceLoop();
        Measurement forward = Measurement.Of(inference.Passes, warmups: 2, Runs);
        Console.WriteLine($"infer  batch {InferenceBatch}: {forward.Rate(InferenceBatch * StepsPerRun, "images/s")}");
    }

    private static void FillRandom(Span<float> values, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble();
        }
    }

    private sealed class TrainingLoop
    {
        private readonly NetworkWorkspace workspace = MnistNet.CreateWorkspace(TrainingBatch);
        private readonly float[] parameters = MnistNet.Initialize(seed: 0).Parameters.Values.ToArray();
        private readonly float[] gradients = new float[MnistNet.ParameterCount];
        private readonly int[] labels = new int[TrainingBatch];
        private readonly Adam optimizer = new();
        private readonly OptimizerState state;
        private ulong step;

        public TrainingLoop()
        {
            state = optimizer.CreateState(MnistNet.ParameterCount);
            var random = new Random(1);
            FillRandom(workspace.Input, random);
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = random.Next(MnistNet.OutputSize);
            }
        }

        public float LastLoss { get; private set; }

        public void Steps()
        {
            for (int i = 0; i < StepsPerRun; i++)
            {
                workspace.Forward(parameters, TrainingBatch, training: true, seed: step++);
                LastLoss = CrossEntropy.LossAndGradient(workspace.Output, labels, workspace.OutputGradient, TrainingBatch, MnistNet.OutputSize);
                workspace.Backward(parameters, TrainingBatch, gradients);
                optimizer.Update(parameters, gradients, state);
            }
        }
    }

    private sealed class InferenceLoop
    {
        private readonly NetworkWorkspace workspace = MnistNet.CreateWorkspace(InferenceBatch);
        private readonly float[] parameters = MnistNet.Initialize(seed: 0).Parameters.Values.ToArray();

        public InferenceLoop() => FillRandom(workspace.Input, new Random(2));

        public void Passes()
        {
            for (int i = 0; i < StepsPerRun; i++)
            {
                workspace.Forward(parameters, InferenceBatch, training: false, seed: 0);
            }
        }
    }
}
