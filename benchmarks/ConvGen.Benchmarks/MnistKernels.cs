using ConvGen.Kernels;
using ConvGen.Training;

namespace ConvGen.Benchmarks;

/// <summary>
/// <see cref="MnistNet"/>'s kernels over buffers for one batch size, and the calls of a training step and an inference
/// pass over them, as the generated Forward and Backward make them (see the NotebookMnist snapshot in the generator tests).
/// </summary>
internal sealed class MnistKernels(int batch)
{
    private static readonly Conv2dGeometry Conv1 = new(1, 28, 28, 32, 28, 28, 5, 5, 1, 1, 2, 2);
    private static readonly Conv2dGeometry Conv2 = new(32, 14, 14, 64, 14, 14, 5, 5, 1, 1, 2, 2);
    private static readonly PoolGeometry Pool1 = new(28, 28, 14, 14, 2, 2, 2, 2, 0, 0);
    private static readonly PoolGeometry Pool2 = new(14, 14, 7, 7, 2, 2, 2, 2, 0, 0);

    private readonly float[] parameters = MnistNet.Initialize(seed: 0).Parameters.Values.ToArray();
    private readonly float[] gradients = new float[MnistNet.ParameterCount];
    private readonly float[] input = LayerProfile.Filled(batch * 784, 1);
    private readonly float[] relu1 = new float[batch * 25088];
    private readonly float[] pool1 = new float[batch * 6272];
    private readonly int[] pool1Indices = new int[batch * 6272];
    private readonly float[] relu2 = new float[batch * 12544];
    private readonly float[] pool2 = new float[batch * 3136];
    private readonly int[] pool2Indices = new int[batch * 3136];
    private readonly float[] fc1 = new float[batch * 1024], relu3 = new float[batch * 1024];
    private readonly float[] dropout = new float[batch * 1024], mask = new float[batch * 1024];
    private readonly float[] fc2 = new float[batch * 10];
    private readonly float[] gradientA = new float[batch * 25088], gradientB = new float[batch * 25088];
    private readonly int[] labels = new int[batch];
    private readonly Adam adam = new();
    private readonly OptimizerState state = new Adam().CreateState(MnistNet.ParameterCount);

    public List<(string, Action)> Inference() => Forward(training: false);

    public List<(string, Action)> TrainingStep()
    {
        List<(string, Action)> calls = Forward(training: true);
        calls.AddRange(
        [
            ("cross-entropy", () => CrossEntropy.LossAndGradient(fc2, labels, gradientA, batch, 10)),
            ("fc2 backward weight", () => FullyConnected.BackwardWeight(dropout, gradientA, Slice(gradients, 3264384, 10240), Slice(gradients, 3274624, 10), batch, 1024, 10)),
            ("fc2 backward input", () => FullyConnected.BackwardInput(gradientA, Slice(parameters, 3264384, 10240), gradientB, batch, 1024, 10)),
            ("dropout backward", () => InvertedDropout.Backward(mask, gradientB.AsSpan(0, batch * 1024))),
            ("relu3 backward", () => Activations.ReluBackward(relu3.AsSpan(0, batch * 1024), gradientB.AsSpan(0, batch * 1024))),
            ("fc1 backward weight", () => FullyConnected.BackwardWeight(pool2, gradientB, Slice(gradients, 52096, 3211264), Slice(gradients, 3263360, 1024), batch, 3136, 1024)),
            ("fc1 backward input", () => FullyConnected.BackwardInput(gradientB, Slice(parameters, 52096, 3211264), gradientA, batch, 3136, 1024)),
            ("pool2 + relu2 backward", () => Pooling.MaxBackward(gradientA, pool2Indices, gradientB, batch * 64, Pool2, pooledReluOutput: pool2)),
            ("conv2 backward weight", () => Convolution.BackwardWeight(pool1, gradientB, Slice(gradients, 832, 51200), Slice(gradients, 52032, 64), batch, Conv2)),
            ("conv2 backward input", () => Convolution.BackwardInput(gradientB, Slice(parameters, 832, 51200), gradientA, batch, Conv2)),
            ("pool1 + relu1 backward", () => Pooling.MaxBackward(gradientA, pool1Indices, gradientB, batch * 32, Pool1, pooledReluOutput: pool1)),
            ("conv1 backward weight", () => Convolution.BackwardWeight(input, gradientB, Slice(gradients, 0, 800), Slice(gradients, 800, 32), batch, Conv1)),
            ("Adam", () => adam.Update(parameters, gradients, state)),
        ]);
        return calls;
    }

    private List<(string, Action)> Forward(bool training) =>
    [
        ("conv1 + relu1 forward", () => Convolution.Forward(input, Slice(parameters, 0, 800), Slice(parameters, 800, 32), relu1, batch, Conv1, relu: true)),
        ("pool1 forward", () => Pooling.MaxForward(relu1, pool1, pool1Indices, batch * 32, Pool1)),
        ("conv2 + relu2 forward", () => Convolution.Forward(pool1, Slice(parameters, 832, 51200), Slice(parameters, 52032, 64), relu2, batch, Conv2, relu: true)),
        ("pool2 forward", () => Pooling.MaxForward(relu2, pool2, pool2Indices, batch * 64, Pool2)),
        ("fc1 forward", () => FullyConnected.Forward(pool2, Slice(parameters, 52096, 3211264), Slice(parameters, 3263360, 1024), fc1, batch, 3136, 1024)),
        ("relu3 forward", () => Activations.ReluForward(fc1.AsSpan(0, batch * 1024), relu3)),
        ("dropout forward", () => InvertedDropout.Forward(relu3.AsSpan(0, batch * 1024), dropout, mask, 0.5f, training, seed: 9)),
        ("fc2 forward", () => FullyConnected.Forward(dropout, Slice(parameters, 3264384, 10240), Slice(parameters, 3274624, 10), fc2, batch, 1024, 10)),
    ];

    private static Span<float> Slice(float[] values, int start, int length) => values.AsSpan(start, length);
}
