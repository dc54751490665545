using ConvGen.Layers;

namespace ConvGen.TorchSharp.Tests;

/// <summary>
/// Networks that cover every layer kind and option, copied from ConvGen.Tests' <c>Composition/EquivalentNetworks</c>
/// (where each is proved equal to a generated twin), plus the small ones the training tests need.
/// </summary>
internal static class Networks
{
    /// <summary>Convolution with stride and padding, average and max pooling (padded), linear layers, dropout.</summary>
    public static Sequential EveryLayer => Build((2, 7, 6), "EveryLayerNet",
    [
        new Conv2d(3) { Kernel = 3, Padding = 1, Stride = 2 }, new ReLU(), new AvgPool2d(2) { Stride = 1 },
        new Conv2d(4) { Kernel = 2, Bias = false }, new ReLU(), new MaxPool2d(2) { Padding = 1 },
        new Flatten(), new Linear(8, 5), new ReLU(), new Dropout(0.3), new Linear(5, 3),
    ]);

    /// <summary>Per-axis sizes, dilation, groups, even-kernel "same" and "valid", ceil mode, adaptive pooling that does not divide.</summary>
    public static Sequential EveryOption => Build((2, 9, 8), "EveryOptionNet",
    [
        new Conv2d(4) { Kernel = (3, 2), PaddingMode = "same" }, new ReLU(),
        new Conv2d(4) { Kernel = 3, Dilation = 2, Groups = 2, Padding = (1, 0) }, new ReLU(), new MaxPool2d(2) { CeilMode = true },
        new Conv2d(6) { Kernel = 2, Stride = (1, 2), PaddingMode = "valid", Groups = 2 }, new AvgPool2d((2, 1)) { CeilMode = true },
        new AdaptiveAvgPool2d((2, 3)), new Flatten(), new Linear(36, 3),
    ]);

    /// <summary>ELU with the default alpha after a convolution and alpha 0.5 after a linear layer.</summary>
    public static Sequential Elu => Build((2, 5, 5), "EluNet",
    [
        new Conv2d(3) { Kernel = 3 }, new ELU(), new Flatten(), new Linear(27, 4), new ELU { Alpha = 0.5 }, new Linear(4, 3),
    ]);

    /// <summary>Tanh, LeakyReLU with a negative slope of its own and the default, Sigmoid.</summary>
    public static Sequential Activations => Build((2, 6, 6), "ActivationNet",
    [
        new Conv2d(3) { Kernel = 3 }, new Tanh(), new Conv2d(4) { Kernel = 2, Stride = 2 }, new LeakyReLU { NegativeSlope = -0.2 },
        new Flatten(), new Linear(16, 6), new Sigmoid(), new Linear(6, 3), new LeakyReLU(),
    ]);

    /// <summary>Softmax and log-softmax over planes' channels and over flat features.</summary>
    public static Sequential Softmaxes => Build((2, 5, 5), "SoftmaxNet",
    [
        new Conv2d(3) { Kernel = 2 }, new Softmax(), new Conv2d(4) { Kernel = 2, Stride = 2 }, new LogSoftmax(),
        new Flatten(), new Linear(16, 4), new Softmax(), new Linear(4, 3), new LogSoftmax(),
    ]);

    /// <summary>BatchNorm with inferred and declared features, its own eps and momentum, 1x1 planes.</summary>
    public static Sequential BatchNorm => Build((2, 6, 6), "BatchNormNet",
    [
        new Conv2d(4) { Kernel = 3 }, new BatchNorm2d(), new ReLU(), new MaxPool2d(2),
        new Conv2d(6) { Kernel = 2, Bias = false }, new BatchNorm2d(6) { Eps = 1e-3, Momentum = 0.3 }, new ReLU(),
        new Flatten(), new Linear(6, 3),
    ]);

    /// <summary>A named batch norm first, before any learned layer.</summary>
    public static Sequential SmoothBatchNorm => Build((2, 5, 5), "SmoothBatchNormNet",
    [
        new BatchNorm2d { Name = "bn0" }, new Conv2d(3) { Kernel = 2 }, new BatchNorm2d(), new Tanh(), new AvgPool2d(2),
        new Conv2d(4) { Kernel = 2 }, new BatchNorm2d { Momentum = 0.5 }, new Sigmoid(), new Flatten(), new Linear(4, 3),
    ]);

    /// <summary>Average pooling without the padding in the divisor, in ceil mode.</summary>
    public static Sequential BorderAverage => Build((1, 6, 6), "BorderAverageLinearNet",
    [
        new Conv2d(3) { Kernel = 3, Padding = 1 }, new AvgPool2d(3) { Stride = 2, Padding = 1, CeilMode = true, CountIncludePad = false },
        new Flatten(), new Linear(48, 3),
    ]);

    /// <summary>Global average pooling after BatchNorm and a border-excluding average, ending in log-softmax.</summary>
    public static Sequential GlobalPooling => Build((2, 7, 7), "GlobalPoolingNet",
    [
        new Conv2d(4) { Kernel = 3, Padding = 1 }, new BatchNorm2d { Momentum = 0.2 }, new LeakyReLU(),
        new AvgPool2d(3) { Stride = 2, Padding = 1, CountIncludePad = false }, new Conv2d(5) { Kernel = 2 }, new GlobalAvgPool2d(),
        new Flatten(), new Linear(5, 3), new LogSoftmax(),
    ]);

    /// <summary>Conv1d over C x L sequences with stride, padding, dilation, groups, odd and even "same"; softmax at each position.</summary>
    public static Sequential Sequence => Sequential.Create((2, 20),
    [
        new Conv1d(4) { Kernel = 3, Stride = 2, Padding = 1 }, new ReLU(),
        new Conv1d(4) { Kernel = 3, Dilation = 2, Groups = 2, PaddingMode = "same" }, new Tanh(),
        new Conv1d(6) { Kernel = 2, PaddingMode = "same", Bias = false }, new Softmax(),
        new Flatten(), new Linear(60, 5), new ReLU(), new Dropout(0.2), new Linear(5, 3), new LogSoftmax(),
    ], "SequenceNet").Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));

    /// <summary>A small network for the 8x8 digits.</summary>
    public static Sequential TinyDigits => Build((1, 8, 8), "TinyDigitsNet",
        [new Conv2d(4) { Kernel = 3 }, new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(36, 10)]);

    /// <summary>Digits to probabilities, for the binary cross-entropy on probabilities.</summary>
    public static Sequential DigitsSigmoid => Build((1, 8, 8), "DigitsSigmoidNet", [new Flatten(), new Linear(64, 10), new Sigmoid()]);

    /// <summary>Every network whose layers the parity tests run, by name.</summary>
    public static TheoryData<string> ParityNames => new()
    {
        nameof(EveryLayer), nameof(EveryOption), nameof(Activations), nameof(Elu), nameof(Softmaxes), nameof(BatchNorm),
        nameof(SmoothBatchNorm), nameof(BorderAverage), nameof(GlobalPooling), nameof(Sequence),
    };

    /// <summary>The network named <paramref name="name"/> as in <see cref="ParityNames"/>.</summary>
    public static Sequential Named(string name) => (Sequential)typeof(Networks).GetProperty(name)!.GetValue(null)!;

    private static Sequential Build((int, int, int) input, string name, Layer[] layers) =>
        Sequential.Create(input, layers, name).Match(
            Succ: network => network,
            Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
}
