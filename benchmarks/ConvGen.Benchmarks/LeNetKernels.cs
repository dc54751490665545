using ConvGen.Kernels;
using ConvGen.Training;

namespace ConvGen.Benchmarks;

/// <summary>
/// <see cref="LeNet"/>'s kernels over buffers for one batch size, and the calls of a training step and an inference
/// pass over them, as the generated Forward and Backward make them (see the generated LeNet.g.cs).
/// </summary>
internal sealed class LeNetKernels(int batch)
{
    private static readonly Conv2dGeometry Conv1 = new(1, 28, 28, 6, 28, 28, 5, 5, 1, 1, 2, 2);
    private static readonly Conv2dGeometry Conv2 = new(6, 14, 14, 16, 10, 10, 5, 5, 1, 1, 0, 0);
    private static readonly PoolGeometry Pool1 = new(28, 28, 14, 14, 2, 2, 2, 2, 0, 0);
    private static readonly PoolGeometry Pool2 = new(10, 10, 5, 5, 2, 2, 2, 2, 0, 0);

    private readonly float[] parameters = LeNet.Initialize(seed: 0).Parameters.Values.ToArray();
    private readonly float[] gradients = new float[LeNet.ParameterCount];
    private readonly float[] input = LayerProfile.Filled(batch * 784, 1);
    private readonly float[] sigmoid1 = new float[batch * 4704];
    private readonly float[] pool1 = new float[batch * 1176];
    private readonly float[] sigmoid2 = new float[batch * 1600];
    private readonly float[] pool2 = new float[batch * 400];
    private readonly float[] fc1 = new float[batch * 120], sigmoid3 = new float[batch * 120];
    private readonly float[] fc2 = new float[batch * 84], sigmoid4 = new float[batch * 84];
    private readonly float[] fc3 = new float[batch * 10];
    private readonly float[] gradientA = new float[batch * 4704], gradientB = new float[batch * 4704];
    private readonly int[] labels = new int[batch];
    private readonly Adam adam = new();
    private readonly OptimizerState state = new Adam().CreateState(LeNet.ParameterCount);

    public List<(string, Action)> Inference() => Forward();

    public List<(string, Action)> TrainingStep()
    {
        List<(string, Action)> calls = Forward();
        calls.AddRange(
        [
            ("cross-entropy", () => CrossEntropy.LossAndGradient(fc3, labels, gradientA, batch, 10)),
            ("fc3 backward weight", () => FullyConnected.BackwardWeight(sigmoid4, gradientA, Slice(gradients, 60856, 840), Slice(gradients, 61696, 10), batch, 84, 10)),
            ("fc3 backward input", () => FullyConnected.BackwardInput(gradientA, Slice(parameters, 60856, 840), gradientB, batch, 84, 10)),
            ("sigmoid4 backward", () => Activations.SigmoidBackward(sigmoid4.AsSpan(0, batch * 84), gradientB.AsSpan(0, batch * 84))),
            ("fc2 backward weight", () => FullyConnected.BackwardWeight(sigmoid3, gradientB, Slice(gradients, 50692, 10080), Slice(gradients, 60772, 84), batch, 120, 84)),
            ("fc2 backward input", () => FullyConnected.BackwardInput(gradientB, Slice(parameters, 50692, 10080), gradientA, batch, 120, 84)),
            ("sigmoid3 backward", () => Activations.SigmoidBackward(sigmoid3.AsSpan(0, batch * 120), gradientA.AsSpan(0, batch * 120))),
            ("fc1 backward weight", () => FullyConnected.BackwardWeight(pool2, gradientA, Slice(gradients, 2572, 48000), Slice(gradients, 50572, 120), batch, 400, 120)),
            ("fc1 backward input", () => FullyConnected.BackwardInput(gradientA, Slice(parameters, 2572, 48000), gradientB, batch, 400, 120)),
            ("pool2 + sigmoid2 backward", () => Pooling.AverageBackward(gradientB, gradientA, batch * 16, Pool2, sigmoidOutput: sigmoid2)),
            ("conv2 backward weight", () => Convolution.BackwardWeight(pool1, gradientA, Slice(gradients, 156, 2400), Slice(gradients, 2556, 16), batch, Conv2)),
            ("conv2 backward input", () => Convolution.BackwardInput(gradientA, Slice(parameters, 156, 2400), gradientB, batch, Conv2)),
            ("pool1 + sigmoid1 backward", () => Pooling.AverageBackward(gradientB, gradientA, batch * 6, Pool1, sigmoidOutput: sigmoid1)),
            ("conv1 backward weight", () => Convolution.BackwardWeight(input, gradientA, Slice(gradients, 0, 150), Slice(gradients, 150, 6), batch, Conv1)),
            ("Adam", () => adam.Update(parameters, gradients, state)),
        ]);
        return calls;
    }

    private List<(string, Action)> Forward() =>
    [
        ("conv1 + sigmoid1 forward", () => Convolution.Forward(input, Slice(parameters, 0, 150), Slice(parameters, 150, 6), sigmoid1, batch, Conv1, sigmoid: true)),
        ("pool1 forward", () => Pooling.AverageForward(sigmoid1, pool1, batch * 6, Pool1)),
        ("conv2 + sigmoid2 forward", () => Convolution.Forward(pool1, Slice(parameters, 156, 2400), Slice(parameters, 2556, 16), sigmoid2, batch, Conv2, sigmoid: true)),
        ("pool2 forward", () => Pooling.AverageForward(sigmoid2, pool2, batch * 16, Pool2)),
        ("fc1 forward", () => FullyConnected.Forward(pool2, Slice(parameters, 2572, 48000), Slice(parameters, 50572, 120), fc1, batch, 400, 120)),
        ("sigmoid3 forward", () => Activations.SigmoidForward(fc1.AsSpan(0, batch * 120), sigmoid3)),
        ("fc2 forward", () => FullyConnected.Forward(sigmoid3, Slice(parameters, 50692, 10080), Slice(parameters, 60772, 84), fc2, batch, 120, 84)),
        ("sigmoid4 forward", () => Activations.SigmoidForward(fc2.AsSpan(0, batch * 84), sigmoid4)),
        ("fc3 forward", () => FullyConnected.Forward(sigmoid4, Slice(parameters, 60856, 840), Slice(parameters, 61696, 10), fc3, batch, 84, 10)),
    ];

    private static Span<float> Slice(float[] values, int start, int length) => values.AsSpan(start, length);
}
