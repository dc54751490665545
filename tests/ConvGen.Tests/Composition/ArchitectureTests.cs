using ConvGen.Layers;

namespace ConvGen.Tests.Composition;

/// <summary>What a network says about itself: the graph exporters and other engines read, with hand-checked values.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void ASequentialDescribesItsLayersNamedWithWhatItInferred()
    {
        Sequential network = EquivalentNetworks.Build((1, 8, 8), "Small",
            [new Conv2d(4) { Kernel = 3 }, new ReLU(), new MaxPool2d(2), new BatchNorm2d(), new GlobalAvgPool2d(), new Flatten(), new Linear(4, 2)]);

        Architecture architecture = network.Architecture;

        Assert.Equal(["conv1", "relu1", "pool1", "bn1", "pool2", "flatten", "fc1"], architecture.Nodes.Select(node => node.Name));
        Assert.Equal(new Conv2d(4) { Name = "conv1", InChannels = 1, Kernel = 3 }, architecture["conv1"].Layer);
        Assert.Equal(new MaxPool2d(2) { Name = "pool1", Stride = 2 }, architecture["pool1"].Layer);
        Assert.Equal(new BatchNorm2d(4) { Name = "bn1" }, architecture["bn1"].Layer);
        // Global pooling is adaptive pooling to 1x1, as PyTorch and a generated network describe it.
        Assert.Equal(new AdaptiveAvgPool2d(1) { Name = "pool2" }, architecture["pool2"].Layer);
        Assert.Equal(["input"], architecture["conv1"].Inputs.ToArray());
        Assert.Equal(["pool1"], architecture["bn1"].Inputs.ToArray());
        Assert.Equal([4, 6, 6], architecture["conv1"].OutputShape.ToArray());
        Assert.Equal([4, 3, 3], architecture["bn1"].InputShape.ToArray());
        Assert.Equal("fc1", architecture.OutputName);
        Assert.Equal([1, 8, 8], architecture.InputShape.ToArray());
        Assert.Throws<KeyNotFoundException>(() => architecture["conv9"]);
    }

    // The README's example, on the sample network it names: what a generated network says about itself.
    [Fact]
    public void AGeneratedNetworkDescribesItselfAsTheReadmeShows()
    {
        Architecture architecture = ConvGen.Samples.Digits.DigitsNet.Architecture;

        Assert.Equal(
            "conv1 <- input: 1x8x8 -> 16x8x8 Conv2d { Name = conv1, Kind = Conv2d, OutChannels = 16, InChannels = 1, Kernel = 3, Stride = 1, Padding = 1, PaddingMode = , Dilation = 1, Groups = 1, Bias = True }",
            architecture.Nodes[0].ToString());
        (AxisPair before, AxisPair after) = ((Conv2d)architecture["conv1"].Layer).ResolvedPadding();
        Assert.Equal(((AxisPair)1, (AxisPair)1), (before, after));
        Assert.Equal(["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "dropout1", "fc2"], architecture.Nodes.Select(node => node.Name));
        Assert.Equal(new Dropout(0.25) { Name = "dropout1" }, architecture["dropout1"].Layer);
    }

    [Fact]
    public void ArchitecturesCompareByValue()
    {
        Layer[] layers = [new Conv2d(4) { Kernel = 3 }, new Flatten(), new Linear(144, 2)];
        Architecture first = EquivalentNetworks.Build((1, 8, 8), "Net", layers).Architecture;
        Architecture second = EquivalentNetworks.Build((1, 8, 8), "Net", [.. layers]).Architecture;
        Architecture wider = EquivalentNetworks.Build((1, 8, 8), "Net", [new Conv2d(5) { Kernel = 3 }, new Flatten(), new Linear(180, 2)]).Architecture;

        Assert.Equal(first, second);
        Assert.NotEqual(first, wider);
        Assert.NotSame(first, second);
    }

    [Theory]
    // "same" pads d*(k-1) zeros per axis, the odd one after (below, to the right), as torch.nn.Conv2d(padding="same").
    [InlineData(3, 3, 1, 1, 1, 1, 1, 1)]
    [InlineData(3, 2, 1, 1, 1, 0, 1, 1)]
    [InlineData(4, 4, 1, 1, 1, 1, 2, 2)]
    [InlineData(2, 3, 3, 1, 1, 1, 2, 1)]
    public void SamePaddingResolvesAsPyTorchDoes(int kernelHeight, int kernelWidth, int dilationHeight, int dilationWidth, int top, int left, int bottom, int right)
    {
        var layer = new Conv2d(1) { Kernel = (kernelHeight, kernelWidth), Dilation = (dilationHeight, dilationWidth), PaddingMode = "same" };

        Assert.Equal(((AxisPair)(top, left), (AxisPair)(bottom, right)), layer.ResolvedPadding());
    }

    [Fact]
    public void ExplicitAndValidPaddingResolveToThemselves()
    {
        Assert.Equal(((AxisPair)(2, 1), (AxisPair)(2, 1)), new Conv2d(1) { Kernel = 5, Padding = (2, 1) }.ResolvedPadding());
        Assert.Equal(((AxisPair)0, (AxisPair)0), new Conv2d(1) { Kernel = 5, PaddingMode = "valid" }.ResolvedPadding());
        Assert.Equal((1, 2), new Conv1d(1) { Kernel = 4, PaddingMode = "same" }.ResolvedPadding());
        Assert.Equal((3, 3), new Conv1d(1) { Kernel = 4, Padding = 3 }.ResolvedPadding());
    }
}
