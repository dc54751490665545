using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;

namespace ConvGen.Generators.Tests;

/// <summary>Shape inference as the pure function it is: models built in code, no compilation.</summary>
public sealed class ShapeInferenceTests
{
    private static readonly LayerModel Relu = Layer(LayerKind.ReLU);
    private static readonly LayerModel Flatten = Layer(LayerKind.Flatten);

    [Fact]
    public void NotebookMnist() => AssertShapes(
        [Conv(32, kernel: 5, padding: 2), Relu, Pool(2), Conv(64, kernel: 5, padding: 2), Relu, Pool(2), Flatten, Linear(3136, 1024), Relu, Dropout(0.5), Linear(1024, 10)],
        "32x28x28", "32x28x28", "32x14x14", "64x14x14", "64x14x14", "64x7x7", "3136", "1024", "1024", "1024", "10");

    [Fact]
    public void LeNet5WithAveragePooling() => AssertShapes(
        [Conv(6, kernel: 5, padding: 2), Pool(2, LayerKind.AvgPool2d), Conv(16, kernel: 5), Pool(2, LayerKind.AvgPool2d), Flatten, Linear(400, 120), Linear(120, 84), Linear(84, 10)],
        "6x28x28", "6x14x14", "16x10x10", "16x5x5", "400", "120", "84", "10");

    [Fact]
    public void StridedConvolutionAndOverlappingPooling() => AssertShapes(
        [Conv(8, kernel: 2, stride: 2, padding: 1), Pool(3, stride: 2, padding: 1), Flatten, Linear(512, 2)],
        "8x15x15", "8x8x8", "512", "2");

    // Shapes from torch 1.13 on a 1x28x28 input: F.conv2d(..., dilation=2, groups=...), padding='same', ceil_mode=True,
    // adaptive_avg_pool2d.
    [Fact]
    public void DilationGroupsSamePaddingCeilModeAndAdaptivePooling() => AssertShapes(
        [
            Conv(8, kernel: 3) with { Dilation = AxisPair.Square(2) },
            Conv(8, kernel: 3) with { Groups = 4, PaddingMode = "same" },
            Conv(16, kernel: 5) with { PaddingMode = "same", Groups = 8 },
            Pool(3, stride: 2) with { CeilMode = true },
            Conv(16, kernel: 1) with { Kernel = new AxisPair(3, 1), PaddingMode = "valid" },
            Layer(LayerKind.AdaptiveAvgPool2d) with { OutputSize = new AxisPair(5, 3) },
            Flatten,
        ],
        "8x24x24", "8x24x24", "16x24x24", "16x12x12", "16x10x12", "16x5x3", "240");

    [Fact]
    public void StopsAtTheFirstLayerThatCannotBeInferred()
    {
        NetworkAnalysis analysis = Analyze([Conv(4, kernel: 3), Conv(4, kernel: 30), Flatten]);
        Assert.True(analysis.HasErrors);
        Assert.Equal(["CG0002"], analysis.Diagnostics.Select(diagnostic => diagnostic.Id));
        Assert.Equal(["4x26x26"], analysis.OutputShapes.Select(shape => shape.ToString()));
    }

    // Shapes from torch 1.13 on a (1, 2, 100) input: nn.Conv1d with stride, dilation, groups and padding='same', then
    // softmax and log-softmax over dim 1, which keep the shape.
    [Fact]
    public void SequenceThroughConv1dSoftmaxAndTheFlatLayers()
    {
        LayerModel[] layers =
        [
            Conv1d(16, kernel: 5, stride: 2, padding: 2),
            Layer(LayerKind.Softmax),
            Conv1d(16, kernel: 3) with { Dilation = new AxisPair(1, 2), Groups = 4, PaddingMode = "same" },
            Conv1d(8, kernel: 4) with { PaddingMode = "valid" },
            Relu,
            Flatten,
            Linear(376, 4),
            Layer(LayerKind.LogSoftmax),
        ];
        NetworkAnalysis analysis = Analyze(layers, inputLength: 100, inputChannels: 2);
        Assert.Empty(analysis.Diagnostics);
        Assert.Equal(["16x50", "16x50", "16x50", "8x47", "8x47", "376", "4", "4"], analysis.OutputShapes.Select(shape => shape.ToString()));
        Assert.True(analysis.OutputShapes[0].IsSequence);
    }

    private static void AssertShapes(LayerModel[] layers, params string[] shapes)
    {
        NetworkAnalysis analysis = Analyze(layers);
        Assert.Empty(analysis.Diagnostics);
        Assert.False(analysis.HasErrors);
        Assert.Equal(shapes, analysis.OutputShapes.Select(shape => shape.ToString()));
    }

    // A 1x28x28 input; layers named by position so the duplicate-name check stays quiet.
    private static NetworkAnalysis Analyze(LayerModel[] layers)
    {
        var model = new NetworkModel("Networks", "Net", 1, 28, 28, null, layers.Select((layer, index) => layer with { Name = "layer" + index }).ToEquatableArray());
        return ShapeInference.Analyze(new ParseResult(model, EquatableArray<DiagnosticInfo>.Empty));
    }

    private static NetworkAnalysis Analyze(LayerModel[] layers, int inputLength, int inputChannels)
    {
        var model = new NetworkModel(
            "Networks", "Net", inputChannels, 0, 0, null, layers.Select((layer, index) => layer with { Name = "layer" + index }).ToEquatableArray(), InputLength: inputLength);
        return ShapeInference.Analyze(new ParseResult(model, EquatableArray<DiagnosticInfo>.Empty));
    }

    // As the parser reads a Conv1d: a height-1 Conv2d.
    private static LayerModel Conv1d(int outChannels, int kernel, int stride = 1, int padding = 0) =>
        Layer(LayerKind.Conv1d) with { OutChannels = outChannels, Kernel = new AxisPair(1, kernel), Stride = new AxisPair(1, stride), Padding = new AxisPair(0, padding) };

    private static LayerModel Conv(int outChannels, int kernel, int stride = 1, int padding = 0) =>
        Layer(LayerKind.Conv2d) with { OutChannels = outChannels, Kernel = AxisPair.Square(kernel), Stride = AxisPair.Square(stride), Padding = AxisPair.Square(padding) };

    private static LayerModel Pool(int kernel, LayerKind kind = LayerKind.MaxPool2d, int? stride = null, int padding = 0) =>
        Layer(kind) with { Kernel = AxisPair.Square(kernel), Stride = AxisPair.Square(stride ?? kernel), Padding = AxisPair.Square(padding) };

    private static LayerModel Linear(int inFeatures, int outFeatures) => Layer(LayerKind.Linear) with { InFeatures = inFeatures, OutFeatures = outFeatures };

    private static LayerModel Dropout(double probability) => Layer(LayerKind.Dropout) with { Probability = probability };

    private static LayerModel Layer(LayerKind kind) => new(
        kind, string.Empty, 0, 0, AxisPair.Square(0), AxisPair.Square(0), AxisPair.Square(0), AxisPair.Square(1), 0, 0, HasBias: true, 0, null, EquatableArray<ArgumentSite>.Empty);
}
