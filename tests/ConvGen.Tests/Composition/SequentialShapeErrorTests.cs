using ConvGen.Layers;
using LanguageExt;

namespace ConvGen.Tests.Composition;

/// <summary>
/// Layer lists that do not fit are refused with every problem found, each naming the layer by index, kind and name and
/// giving the numbers and the derivation, in the words of the generator's diagnostic for the same mistake (the
/// generator tests hold the two side by side over random networks). Hand-derived messages, one per kind of mistake.
/// </summary>
public sealed class SequentialShapeErrorTests
{
    private static readonly (int, int, int) Digits = (1, 8, 8);

    public static TheoryData<string> Mistakes => new(Cases.Keys.Order(StringComparer.Ordinal));

    private static readonly Dictionary<string, ((int, int, int) Input, Layer[] Layers, string[] Errors)> Cases = new()
    {
        ["notebook 002's network on 32x32 images"] = ((1, 32, 32), MnistLayers(),
        [
            "layers[7] Linear 'fc1' declares 3136 in-features but receives 4096: "
            + "1x32x32 -> conv1 32x32x32 -> relu1 32x32x32 -> pool1 32x16x16 -> conv2 64x16x16 -> relu2 64x16x16 -> pool2 64x8x8 -> flatten 4096",
        ]),
        ["declared in-channels"] = (Digits, [new Conv2d(4) { Kernel = 3, InChannels = 3 }],
            ["layers[0] Conv2d 'conv1' declares 3 in-channels but receives 1: 1x8x8"]),
        ["a kernel larger than its padded input"] = (Digits, [new Conv2d(4) { Kernel = 3 }, new Conv2d(4) { Kernel = (2, 9), Padding = (0, 1) }],
            ["layers[1] Conv2d 'conv2' declares kernel 9 but receives a padded width of 8, so its output width would be 0: 1x8x8 -> conv1 4x6x6"]),
        ["a dilated kernel larger than its input"] = (Digits, [new MaxPool2d(2), new Conv2d(2) { Kernel = 3, Dilation = 2 }],
            ["layers[1] Conv2d 'conv1' declares kernel 3 dilated by 2 to 5 but receives a padded height and width of 4, so its output height and width would be 0: 1x8x8 -> pool1 1x4x4"]),
        ["no filters"] = (Digits, [new Conv2d(0)],
            ["layers[0] Conv2d 'conv1' declares out-channels 0, but out-channels must be at least 1"]),
        ["a negative padding"] = (Digits, [new AvgPool2d(2) { Padding = (0, -1) }],
            ["layers[0] AvgPool2d 'pool1' declares padding -1, but padding must be at least 0"]),
        ["Linear without Flatten"] = (Digits, [new Conv2d(4) { Kernel = 3 }, new ReLU(), new MaxPool2d(2), new Linear(36, 10)],
            ["layers[3] Linear 'fc1' receives a 4x3x3 input of 36 values; add [Flatten] before it: 1x8x8 -> conv1 4x6x6 -> relu1 4x6x6 -> pool1 4x3x3"]),
        ["pooling after Flatten"] = (Digits, [new Flatten(), new MaxPool2d(2)],
            ["layers[1] MaxPool2d 'pool1' needs a C x H x W input but receives 64 flat features: 1x8x8 -> flatten 64"]),
        ["dropout of one"] = (Digits, [new Flatten(), new Dropout(1)],
            ["layers[1] Dropout 'dropout1' declares p = 1, but p must be in [0, 1)"]),
        ["dropout that rounds to one in float32"] = (Digits, [new Flatten(), new Dropout(0.99999999)],
            ["layers[1] Dropout 'dropout1' declares p = 0.99999999 (1 in float32), but p must be in [0, 1)"]),
        ["pooling padding over half the window"] = (Digits, [new MaxPool2d((2, 4)) { Padding = (2, 1) }],
            ["layers[0] MaxPool2d 'pool1' declares padding 2x1 but its kernel 2x4 allows at most 1 (PyTorch: padding at most half the kernel)"]),
        ["groups that do not divide"] = ((2, 8, 8), [new Conv2d(6) { Groups = 3 }],
            ["layers[0] Conv2d 'conv1' declares 3 groups, which do not divide its 2 in-channels: 2x8x8"]),
        ["'same' with a stride"] = (Digits, [new Conv2d(2) { Kernel = 3, PaddingMode = "same", Stride = (2, 1) }],
            ["layers[0] Conv2d 'conv1' declares PaddingMode \"same\" with stride 2x1, but PyTorch allows \"same\" only with stride 1"]),
        ["an unknown padding mode"] = (Digits, [new Conv2d(2) { PaddingMode = "full" }],
            ["layers[0] Conv2d 'conv1' declares PaddingMode \"full\": PaddingMode must be \"same\" or \"valid\""]),
        ["a padding mode beside a padding"] = (Digits, [new Conv2d(2) { PaddingMode = "valid", Padding = 1 }],
            ["layers[0] Conv2d 'conv1' declares PaddingMode \"valid\": PaddingMode replaces Padding; declare one or the other"]),
        ["a name used twice"] = (Digits, [new Conv2d(2) { Name = "stem" }, new ReLU(), new Conv2d(2) { Name = "stem" }, new Conv2d(2)],
            ["layers[2] Layer name 'stem' is used twice; names become checkpoint keys and must be unique"]),
        ["too many features"] = (Digits, [new Flatten(), new Linear(64, 1_000_000_000)],
            ["layers[1] Linear 'fc1' would hold 1000000000 values per sample, more than the 33554431 a float32 buffer can address: 1x8x8 -> flatten 64"]),
        ["too many parameters"] = (Digits, [new Flatten(), new Linear(64, 33_554_431)],
            ["Network 'Sequential' has 2181038015 parameters, more than the 2147483647 one float32 array can hold; the largest layer is 'fc1' with 2181038015"]),
        ["no input"] = ((0, 8, 8), [new Flatten()],
            ["Network 'Sequential' declares input 0x8x8: InputChannels, InputHeight and InputWidth must all be set to at least 1"]),
        ["two mistakes"] = (Digits, [new Conv2d(4) { Kernel = 3, InChannels = 2 }, new Flatten(), new Linear(100, 10)],
        [
            "layers[0] Conv2d 'conv1' declares 2 in-channels but receives 1: 1x8x8",
            "layers[2] Linear 'fc1' declares 100 in-features but receives 144: 1x8x8 -> conv1 4x6x6 -> flatten 144",
        ]),
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void EveryMistakeIsReportedNamingTheLayer(string mistake)
    {
        ((int, int, int) input, Layer[] layers, string[] expected) = Cases[mistake];

        Validation<ConvGenError, Sequential> result = Sequential.Create(input, layers);

        string[] errors = result.Match(Succ: network => [$"checked: {network}"], Fail: failures => failures.Select(error => error.Message).ToArray());
        Assert.Equal(expected, errors);
    }

    [Fact]
    public void NotebookTwosNetworkOnMnistChecks()
    {
        Sequential network = EquivalentNetworks.Build((1, 28, 28), "MnistNet", MnistLayers());

        Assert.Equal(3_274_634, network.Layout.ParameterCount);
        Assert.Equal("fc2", network.Layout.Layers[^1].Name);
        Assert.Empty(network.Warnings);
    }

    [Fact]
    public void AStrideThatSkipsRowsIsAWarningNotAnError()
    {
        Sequential network = EquivalentNetworks.Build(Digits, "Strided", [new Conv2d(4) { Kernel = 3, Stride = 2 }, new Flatten(), new Linear(36, 10)]);

        Assert.Equal("layers[0] Conv2d 'conv1' with kernel 3, stride 2 and padding 0 leaves the last 1 of its 8 input rows and columns unused: 1x8x8", Assert.Single(network.Warnings));
    }

    [Fact]
    public void DefaultNamesCountEachKindAsTheGeneratorDoes()
    {
        Sequential network = EquivalentNetworks.Build((1, 8, 8), "Names",
        [
            new Conv2d(2) { Kernel = 3 }, new LeakyReLU(), new MaxPool2d(2), new Conv2d(2) { Name = "middle" }, new AvgPool2d(1),
            new AdaptiveAvgPool2d(2), new Flatten(), new Dropout(0.1), new Flatten(), new Linear(8, 4), new Tanh(), new Sigmoid(), new Linear(4, 2),
        ]);

        Assert.Equal(
            ["conv1", "leakyrelu1", "pool1", "middle", "pool2", "pool3", "flatten", "dropout1", "flatten2", "fc1", "tanh1", "sigmoid1", "fc2"],
            network.Layout.Layers.Select(layer => layer.Name));
        Assert.Equal(["conv1.weight", "conv1.bias", "middle.weight", "middle.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], network.Layout.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void LayerValuesAreImmutableAndCompareByValue()
    {
        var convolution = new Conv2d(32) { Kernel = 5, Padding = 2 };
        Conv2d wider = convolution with { OutChannels = 64 };

        Assert.Equal(32, convolution.OutChannels);
        Assert.Equal(new Conv2d(32) { Kernel = (5, 5), Padding = 2 }, convolution);
        Assert.NotEqual<Layer>(convolution, wider);
        Assert.Equal("Conv2d", wider.Kind);
    }

    private static Layer[] MnistLayers() =>
    [
        new Conv2d(32) { Kernel = 5, Padding = 2 }, new ReLU(), new MaxPool2d(2),
        new Conv2d(64) { Kernel = 5, Padding = 2 }, new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(3136, 1024), new ReLU(), new Dropout(0.5), new Linear(1024, 10),
    ];
}
