using ConvGen.Layers;
using ConvGen.Tests.Checkpoints;
using ConvGen.Tests.Training;

namespace ConvGen.Tests.Composition;

/// <summary>
/// The generated test networks, written again as layer lists built at run time. Each must be the same network as its
/// generated twin: same layout and summary, same initial weights, outputs, gradients and trained weights, bit for bit.
/// </summary>
internal static class EquivalentNetworks
{
    /// <summary>Twin of <see cref="EveryLayerNet"/>.</summary>
    public static Sequential EveryLayer => Build((2, 7, 6), nameof(EveryLayerNet),
    [
        new Conv2d(3) { Kernel = 3, Padding = 1, Stride = 2 }, new ReLU(), new AvgPool2d(2) { Stride = 1 },
        new Conv2d(4) { Kernel = 2, Bias = false }, new ReLU(), new MaxPool2d(2) { Padding = 1 },
        new Flatten(), new Linear(8, 5), new ReLU(), new Dropout(0.3), new Linear(5, 3),
    ]);

    /// <summary>Twin of <see cref="EveryOptionNet"/>: per-axis sizes, dilation, groups, "same" and "valid", ceil mode, adaptive pooling.</summary>
    public static Sequential EveryOption => Build((2, 9, 8), nameof(EveryOptionNet),
    [
        new Conv2d(4) { Kernel = (3, 2), PaddingMode = "same" }, new ReLU(),
        new Conv2d(4) { Kernel = 3, Dilation = 2, Groups = 2, Padding = (1, 0) }, new ReLU(), new MaxPool2d(2) { CeilMode = true },
        new Conv2d(6) { Kernel = 2, Stride = (1, 2), PaddingMode = "valid", Groups = 2 }, new AvgPool2d((2, 1)) { CeilMode = true },
        new AdaptiveAvgPool2d((2, 3)), new Flatten(), new Linear(36, 3),
    ]);

    /// <summary>Twin of <see cref="ActivationNet"/>.</summary>
    public static Sequential Activations => Build((2, 6, 6), nameof(ActivationNet),
    [
        new Conv2d(3) { Kernel = 3 }, new Tanh(), new Conv2d(4) { Kernel = 2, Stride = 2 }, new LeakyReLU { NegativeSlope = -0.2 },
        new Flatten(), new Linear(16, 6), new Sigmoid(), new Linear(6, 3), new LeakyReLU(),
    ]);

    /// <summary>Twin of <see cref="EluNet"/>.</summary>
    public static Sequential Elu => Build((2, 5, 5), nameof(EluNet),
    [
        new Conv2d(3) { Kernel = 3 }, new ELU(), new Flatten(), new Linear(27, 4), new ELU { Alpha = 0.5 }, new Linear(4, 3),
    ]);

    /// <summary>Twin of <see cref="AllocationNet"/>: big enough for the packed, multi-threaded GEMM paths.</summary>
    public static Sequential Allocation => Build((1, 16, 16), nameof(AllocationNet),
    [
        new Conv2d(32) { Kernel = 3, Padding = 1 }, new ReLU(), new MaxPool2d(2),
        new Conv2d(32) { Kernel = 3, Padding = 1 }, new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(512, 64), new ReLU(), new Dropout(0.5), new Linear(64, 10),
    ]);

    /// <summary>Twin of <see cref="LeNet5"/>: convolutions that apply the sigmoid after them, average pools that apply its backward pass.</summary>
    public static Sequential LeNet => Build((1, 28, 28), nameof(LeNet5),
    [
        new Conv2d(6) { Kernel = 5, Padding = 2 }, new Sigmoid(), new AvgPool2d(2) { Stride = 2 },
        new Conv2d(16) { Kernel = 5 }, new Sigmoid(), new AvgPool2d(2) { Stride = 2 },
        new Flatten(), new Linear(400, 120), new Sigmoid(), new Linear(120, 84), new Sigmoid(), new Linear(84, 10),
    ]);

    /// <summary>Twin of <see cref="CheckpointNet"/>, the network of the PyTorch checkpoint fixtures.</summary>
    public static Sequential Checkpoint => Build((2, 6, 6), nameof(CheckpointNet),
    [
        new Conv2d(4) { Kernel = 3, Padding = 1 }, new ReLU(), new MaxPool2d(2),
        new Conv2d(6) { Kernel = 2, Bias = false }, new ReLU(),
        new Flatten(), new Linear(24, 5),
    ]);

    /// <summary>Twin of <see cref="TinyDigitsNet"/>.</summary>
    public static Sequential TinyDigits => Build((1, 8, 8), nameof(TinyDigitsNet),
        [new Conv2d(4) { Kernel = 3 }, new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(36, 10)]);

    /// <summary>Twin of <see cref="SoftmaxNet"/>: softmax and log-softmax over planes' channels and over flat features.</summary>
    public static Sequential Softmaxes => Build((2, 5, 5), nameof(SoftmaxNet),
    [
        new Conv2d(3) { Kernel = 2 }, new Softmax(), new Conv2d(4) { Kernel = 2, Stride = 2 }, new LogSoftmax(),
        new Flatten(), new Linear(16, 4), new Softmax(), new Linear(4, 3), new LogSoftmax(),
    ]);

    /// <summary>Twin of <see cref="BatchNormNet"/>: inferred and declared features, own eps and momentum, 1x1 planes.</summary>
    public static Sequential BatchNorm => Build((2, 6, 6), nameof(BatchNormNet),
    [
        new Conv2d(4) { Kernel = 3 }, new BatchNorm2d(), new ReLU(), new MaxPool2d(2),
        new Conv2d(6) { Kernel = 2, Bias = false }, new BatchNorm2d(6) { Eps = 1e-3, Momentum = 0.3 }, new ReLU(),
        new Flatten(), new Linear(6, 3),
    ]);

    /// <summary>Twin of <see cref="SmoothBatchNormNet"/>: a named batch norm first, before any learned layer.</summary>
    public static Sequential SmoothBatchNorm => Build((2, 5, 5), nameof(SmoothBatchNormNet),
    [
        new BatchNorm2d { Name = "bn0" }, new Conv2d(3) { Kernel = 2 }, new BatchNorm2d(), new Tanh(), new AvgPool2d(2),
        new Conv2d(4) { Kernel = 2 }, new BatchNorm2d { Momentum = 0.5 }, new Sigmoid(), new Flatten(), new Linear(4, 3),
    ]);

    /// <summary>Twin of <see cref="ResidualNet"/>: residual values with identity and projection shortcuts, and a concatenation.</summary>
    public static Sequential Residual => Build((4, 6, 6), nameof(ResidualNet), ResidualLayers(smooth: false));

    /// <summary>Twin of <see cref="SmoothResidualNet"/>: the same graph with tanh for the ReLUs inside and after the units.</summary>
    public static Sequential SmoothResidual => Build((4, 6, 6), nameof(SmoothResidualNet), ResidualLayers(smooth: true));

    /// <summary>Twin of <see cref="SharedGradientNet"/>: residual branches ending in tanh, one unit nested in another, both in a concatenation.</summary>
    public static Sequential SharedGradient => Build((2, 5, 5), nameof(SharedGradientNet),
    [
        new Conv2d(4) { Kernel = 3, Padding = 1 }, new Tanh(),
        new Residual([.. TanhTail()]),
        new Residual([new Residual([.. TanhTail()])]), new Tanh(),
        new Concat([[.. TanhTail()], [new Residual([.. TanhTail()])]]),
        new GlobalAvgPool2d(), new Flatten(), new Linear(8, 3),
    ]);

    private static Layer[] TanhTail() => [new Conv2d(4) { Kernel = 3, Padding = 1 }, new Tanh()];

    private static Layer[] ResidualLayers(bool smooth)
    {
        Layer Activation() => smooth ? new Tanh() : new ReLU();
        return
        [
            new Conv2d(8) { Kernel = 3, Padding = 1 }, new BatchNorm2d(), Activation(),
            new Residual([new Conv2d(8) { Kernel = 3, Padding = 1 }, new BatchNorm2d(), Activation(), new Conv2d(8) { Kernel = 3, Padding = 1 }, new BatchNorm2d()]),
            Activation(),
            new Residual([new Conv2d(16) { Kernel = 3, Stride = 2, Padding = 1 }, new BatchNorm2d(), Activation(), new Conv2d(16) { Kernel = 3, Padding = 1 }, new BatchNorm2d()])
            {
                Shortcut = [new Conv2d(16) { Kernel = 1, Stride = 2 }, new BatchNorm2d()],
            },
            Activation(),
            new Concat([[new Conv2d(4) { Kernel = 1 }], [new Conv2d(4) { Kernel = 3, Padding = 1 }, Activation()]]),
            new GlobalAvgPool2d(), new Flatten(), new Linear(8, 5),
        ];
    }

    /// <summary>Twin of <see cref="BorderAverageLinearNet"/>: average pooling without the padding in the divisor, in ceil mode.</summary>
    public static Sequential BorderAverage => Build((1, 6, 6), nameof(BorderAverageLinearNet),
    [
        new Conv2d(3) { Kernel = 3, Padding = 1 }, new AvgPool2d(3) { Stride = 2, Padding = 1, CeilMode = true, CountIncludePad = false },
        new Flatten(), new Linear(48, 3),
    ]);

    /// <summary>Twin of <see cref="GlobalPoolingNet"/>.</summary>
    public static Sequential GlobalPooling => Build((2, 7, 7), nameof(GlobalPoolingNet),
    [
        new Conv2d(4) { Kernel = 3, Padding = 1 }, new BatchNorm2d { Momentum = 0.2 }, new LeakyReLU(),
        new AvgPool2d(3) { Stride = 2, Padding = 1, CountIncludePad = false }, new Conv2d(5) { Kernel = 2 }, new GlobalAvgPool2d(),
        new Flatten(), new Linear(5, 3), new LogSoftmax(),
    ]);

    /// <summary>Twin of <see cref="SequenceNet"/>: Conv1d over C x L sequences, its options, softmax at each position.</summary>
    public static Sequential Sequence => Sequential.Create((2, 20),
    [
        new Conv1d(4) { Kernel = 3, Stride = 2, Padding = 1 }, new ReLU(),
        new Conv1d(4) { Kernel = 3, Dilation = 2, Groups = 2, PaddingMode = "same" }, new Tanh(),
        new Conv1d(6) { Kernel = 2, PaddingMode = "same", Bias = false }, new Softmax(),
        new Flatten(), new Linear(60, 5), new ReLU(), new Dropout(0.2), new Linear(5, 3), new LogSoftmax(),
    ], nameof(SequenceNet)).Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));

    /// <summary>A layer list that must check; the test fails with the errors otherwise.</summary>
    public static Sequential Build((int, int, int) input, string name, Layer[] layers) =>
        Sequential.Create(input, layers, name).Match(
            Succ: network => network,
            Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
}
