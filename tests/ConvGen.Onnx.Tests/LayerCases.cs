using ConvGen.Layers;

namespace ConvGen.Onnx.Tests;

/// <summary>
/// One small network per layer kind and option, each around the layer it is named for: every mapping the exporter
/// makes is run in ONNX Runtime on its own. Inputs are 3 x 9 x 8 planes (odd and even sides) or 3 x 11 sequences.
/// </summary>
internal static class LayerCases
{
    public static readonly IReadOnlyDictionary<string, Sequential> All = new Dictionary<string, Sequential>
    {
        ["conv2d"] = Planes(new Conv2d(4) { Kernel = 3 }),
        ["conv2d padding"] = Planes(new Conv2d(4) { Kernel = 3, Padding = 2 }),
        ["conv2d per-axis kernel, stride and padding"] = Planes(new Conv2d(5) { Kernel = (3, 2), Stride = (2, 3), Padding = (1, 0) }),
        ["conv2d dilation"] = Planes(new Conv2d(4) { Kernel = 3, Dilation = (2, 3) }),
        ["conv2d groups"] = Planes(new Conv2d(6) { Kernel = 2, Groups = 3 }),
        ["conv2d depthwise"] = Planes(new Conv2d(3) { Kernel = 3, Groups = 3, Padding = 1 }),
        ["conv2d no bias"] = Planes(new Conv2d(4) { Kernel = 3, Bias = false }),
        ["conv2d same, odd kernel"] = Planes(new Conv2d(4) { Kernel = 3, PaddingMode = "same" }),
        ["conv2d same, even kernel"] = Planes(new Conv2d(4) { Kernel = (2, 4), PaddingMode = "same" }),
        ["conv2d same, dilated even kernel"] = Planes(new Conv2d(4) { Kernel = 2, Dilation = 3, PaddingMode = "same" }),
        ["conv2d valid"] = Planes(new Conv2d(4) { Kernel = (3, 4), PaddingMode = "valid" }),
        ["conv2d declared in-channels"] = Planes(new Conv2d(2) { InChannels = 3, Kernel = 1 }),
        ["conv1d"] = Sequence(new Conv1d(4) { Kernel = 3 }),
        ["conv1d stride and padding"] = Sequence(new Conv1d(4) { Kernel = 3, Stride = 2, Padding = 2 }),
        ["conv1d dilation and groups"] = Sequence(new Conv1d(6) { Kernel = 3, Dilation = 2, Groups = 3 }),
        ["conv1d same, even kernel"] = Sequence(new Conv1d(4) { Kernel = 4, PaddingMode = "same" }),
        ["conv1d valid, no bias"] = Sequence(new Conv1d(4) { Kernel = 2, PaddingMode = "valid", Bias = false }),
        ["maxpool2d"] = Planes(new MaxPool2d(2)),
        ["maxpool2d stride and padding"] = Planes(new MaxPool2d(3) { Stride = 2, Padding = 1 }),
        ["maxpool2d per-axis"] = Planes(new MaxPool2d((2, 3)) { Stride = (1, 2), Padding = (1, 0) }),
        ["maxpool2d ceil mode"] = Planes(new MaxPool2d(2) { CeilMode = true }),
        // 9 + 2 - 2 = 9 rows: ceil gives 6 windows, but the sixth would start in the padding, so 5 (PyTorch's rule).
        ["maxpool2d ceil mode, last window dropped"] = Planes(new MaxPool2d(2) { Padding = 1, CeilMode = true }),
        ["avgpool2d"] = Planes(new AvgPool2d(2)),
        ["avgpool2d stride and padding"] = Planes(new AvgPool2d(3) { Stride = 2, Padding = 1 }),
        ["avgpool2d padding excluded"] = Planes(new AvgPool2d(3) { Stride = 2, Padding = 1, CountIncludePad = false }),
        ["avgpool2d per-axis"] = Planes(new AvgPool2d((3, 2)) { Stride = (2, 1), Padding = (1, 1) }),
        ["avgpool2d ceil mode"] = Planes(new AvgPool2d(2) { CeilMode = true }),
        ["avgpool2d ceil mode, padding counted"] = Planes(new AvgPool2d(3) { Stride = 2, Padding = 1, CeilMode = true }),
        ["avgpool2d ceil mode, padding excluded"] = Planes(new AvgPool2d(3) { Stride = 2, Padding = 1, CeilMode = true, CountIncludePad = false }),
        ["avgpool2d ceil mode, last window dropped"] = Planes(new AvgPool2d(2) { Padding = 1, CeilMode = true }),
        ["adaptiveavgpool2d dividing"] = Planes(new AdaptiveAvgPool2d((3, 4))),
        ["adaptiveavgpool2d to 1x1"] = Planes(new AdaptiveAvgPool2d(1)),
        ["adaptiveavgpool2d not dividing"] = Planes(new AdaptiveAvgPool2d((4, 3))),
        ["adaptiveavgpool2d one axis dividing"] = Planes(new AdaptiveAvgPool2d((3, 5))),
        ["adaptiveavgpool2d larger than input"] = Planes(new AdaptiveAvgPool2d((11, 10))),
        ["globalavgpool2d"] = Planes(new GlobalAvgPool2d()),
        ["relu"] = Planes(new ReLU()),
        ["leakyrelu"] = Planes(new LeakyReLU()),
        ["leakyrelu negative slope"] = Planes(new LeakyReLU { NegativeSlope = -0.2 }),
        ["sigmoid"] = Planes(new Sigmoid()),
        ["tanh"] = Planes(new Tanh()),
        ["elu"] = Planes(new ELU()),
        ["elu alpha 0.5"] = Planes(new ELU { Alpha = 0.5 }),
        ["softmax over planes' channels"] = Planes(new Softmax()),
        ["softmax over a sequence's channels"] = Sequence(new Softmax()),
        ["softmax over features"] = Planes(new Flatten(), new Softmax()),
        ["logsoftmax over planes' channels"] = Planes(new LogSoftmax()),
        ["logsoftmax over a sequence's channels"] = Sequence(new LogSoftmax()),
        ["logsoftmax over features"] = Planes(new Flatten(), new LogSoftmax()),
        ["flatten planes"] = Planes(new Flatten()),
        ["flatten a sequence"] = Sequence(new Flatten()),
        ["flatten twice"] = Planes(new Flatten(), new Flatten()),
        ["linear"] = Planes(new Flatten(), new Linear(216, 7)),
        ["linear no bias"] = Planes(new Flatten(), new Linear(216, 7) { Bias = false }),
        ["dropout between layers"] = Planes(new Conv2d(2) { Kernel = 3 }, new Dropout(0.5), new ReLU()),
        ["dropout last"] = Planes(new Tanh(), new Dropout(0.5)),
        ["dropout only"] = Planes(new Dropout(0.3)),
        ["batchnorm2d"] = Planes(new BatchNorm2d()),
        ["batchnorm2d eps and momentum"] = Planes(new BatchNorm2d(3) { Eps = 1e-2, Momentum = 0.3 }),
        ["batchnorm2d on 1x1 planes"] = Planes(new AdaptiveAvgPool2d(1), new BatchNorm2d()),
        ["no layers"] = Planes(),
    };

    public static TheoryData<string> Names => [.. All.Keys];

    private static Sequential Planes(params Layer[] layers) => Build(Sequential.Create((3, 9, 8), layers, "Planes"));

    private static Sequential Sequence(params Layer[] layers) => Build(Sequential.Create((3, 11), layers, "Sequence"));

    private static Sequential Build(LanguageExt.Validation<ConvGenError, Sequential> created) =>
        created.Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
}
