using Microsoft.CodeAnalysis;
using static ConvGen.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The diagnostics of per-axis sizes, dilation, groups, padding modes, adaptive pooling and network size, each by ID,
/// message and span with its fix checked for false positives; and the secondary locations of a size mismatch.
/// </summary>
public sealed class ConvolutionOptionDiagnosticTests
{
    [Theory, DiagnosticTest("CG0003")]
    [InlineData("Conv2d(8, Kernel = 3, {|CG0003:Dilation = 0=>Dilation = 1|}), Flatten, Linear(288, 10)", "Conv2d 'conv1' declares dilation 0, but dilation must be at least 1")]
    [InlineData("Conv2d(8, Kernel = 3, {|CG0003:DilationWidth = -2=>DilationWidth = 1|}), Flatten, Linear(288, 10)", "Conv2d 'conv1' declares dilation -2, but dilation must be at least 1")]
    [InlineData("Conv2d(8, Kernel = 3, {|CG0003:Groups = 0=>Groups = 1|}), Flatten, Linear(288, 10)", "Conv2d 'conv1' declares groups 0, but groups must be at least 1")]
    [InlineData("Conv2d(8, Kernel = 3, {|CG0003:KernelHeight = 0=>KernelHeight = 3|}), Flatten, Linear(288, 10)", "Conv2d 'conv1' declares kernel 0, but kernel must be at least 1")]
    [InlineData("AdaptiveAvgPool2d({|CG0003:0=>2|}), Flatten, Linear(4, 10)", "AdaptiveAvgPool2d 'pool1' declares output height 0, but output height must be at least 1")]
    [InlineData("AdaptiveAvgPool2d(2, {|CG0003:0=>2|}), Flatten, Linear(4, 10)", "AdaptiveAvgPool2d 'pool1' declares output width 0, but output width must be at least 1")]
    public void OptionNotPositive(string layers, string message) => Reports(Network(layers), Error(message));

    [Fact, DiagnosticTest("CG0002")]
    public void DilatedKernelLargerThanInput() => Reports(
        Network("Conv2d(2, {|CG0002:Kernel = 3=>Kernel = 2|}, DilationHeight = 4), Flatten, Linear(56, 10)"),
        Error("Conv2d 'conv1' declares kernel 3 dilated by 4 to 9 but receives a padded height of 8, so its output height would be 0: 1x8x8"));

    [Fact, DiagnosticTest("CG0007")]
    public void PerAxisStrideLeavesColumnsUnused() => Reports(
        Network("MaxPool2d(KernelHeight = 2, KernelWidth = 3, {|CG0007:StrideWidth = 3=>StrideWidth = 1|}), Flatten, Linear({|8=>24|}, 10)", height: 8, width: 8),
        Warning("MaxPool2d 'pool1' with kernel 3, stride 3 and padding 0 leaves the last 2 of its 8 input columns unused: 1x8x8"));

    [Theory, DiagnosticTest("CG0016")]
    [InlineData("Conv2d(4, Kernel = 3), Conv2d(6, Kernel = 3, {|CG0016:Groups = 4=>Groups = 2|})", "Conv2d 'conv2' declares 4 groups, which do not divide its 6 out-channels: 1x8x8 -> conv1 4x6x6")]
    [InlineData("Conv2d(3, Kernel = 3), Conv2d(6, Kernel = 3, {|CG0016:Groups = 2=>Groups = 3|})", "Conv2d 'conv2' declares 2 groups, which do not divide its 3 in-channels: 1x8x8 -> conv1 3x6x6")]
    public void GroupsDoNotDivideChannels(string layers, string message) => Reports(
        Network(layers + ", Flatten, Linear(96, 10)"),
        Error(message));

    [Fact, DiagnosticTest("CG0017")]
    public void SamePaddingWithStride() => Reports(
        Network("Conv2d(4, Kernel = 4, {|CG0017:PaddingMode = \"same\"=>PaddingMode = \"valid\"|}, Stride = 2), Flatten, Linear(36, 10)"),
        Error("Conv2d 'conv1' declares PaddingMode \"same\" with stride 2, but PyTorch allows \"same\" only with stride 1"));

    [Fact, DiagnosticTest("CG0018")]
    public void UnknownPaddingMode() => Reports(
        Network("Conv2d(4, Kernel = 3, {|CG0018:PaddingMode = \"full\"=>PaddingMode = \"same\"|}), Flatten, Linear(256, 10)"),
        Error("Conv2d 'conv1' declares PaddingMode \"full\": PaddingMode must be \"same\" or \"valid\""));

    [Fact, DiagnosticTest("CG0018")]
    public void PaddingModeBesidePadding() => Reports(
        Network("Conv2d(4, Kernel = 3, {|PaddingWidth = 1, =>|}{|CG0018:PaddingMode = \"same\"|}), Flatten, Linear(256, 10)"),
        Error("Conv2d 'conv1' declares PaddingMode \"same\": PaddingMode replaces PaddingWidth; declare one or the other"));

    [Fact, DiagnosticTest("CG0019")]
    public void AsymmetricSamePadding()
    {
        GeneratorRun run = Reports(
            Network("Conv2d(4, Kernel = {|4=>3|}, {|CG0019:PaddingMode = \"same\"|}), Flatten, Linear(256, 10)"),
            Warning("Conv2d 'conv1' with PaddingMode \"same\" and a dilated kernel of 4 pads 1 before and 2 after along its height and width: the extra zero goes below and to the right, as in PyTorch"));

        // Supported, not refused: the direct-loop kernel takes the padding before; the output size implies the rest.
        string generated = run.GeneratedText("Networks.Net.g.cs");
        Assert.Contains("PaddingHeight: 1, PaddingWidth: 1);", generated, StringComparison.Ordinal);
        Assert.Contains("global::ConvGen.Kernels.Conv2dGeneral.Forward(", generated, StringComparison.Ordinal);
    }

    [Fact, DiagnosticTest("CG0019")]
    public void AsymmetricSamePaddingAlongOneAxis() => Reports(
        Network("Conv2d(4, KernelHeight = 3, KernelWidth = {|2=>3|}, {|CG0019:PaddingMode = \"same\"|}), Flatten, Linear(256, 10)"),
        Warning("Conv2d 'conv1' with PaddingMode \"same\" and a dilated kernel of 3x2 pads 0 before and 1 after along its width: the extra zero goes below and to the right, as in PyTorch"));

    [Fact, DiagnosticTest("CG0020")]
    public void ParametersTooLarge() => Reports(
        "[{|CG0020:Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)|}]\n"
        + "[Flatten, Linear(64, 30000), Linear(30000, {|30000=>10|})]\n"
        + "public sealed partial record Net;\n",
        Warning("Network 'Net' has 901980000 parameters, 3607920000 bytes as float32, more than the 2 GiB (2147483648 bytes) ConvGen considers sane; the largest layer is 'fc2' with 900030000"));

    [Theory, DiagnosticTest("CG0022")]
    [InlineData("[Flatten, Linear(64, 50000), Linear(50000, {|50000=>10|})]", "2503300000", "fc2", "2500050000")]
    [InlineData("[Conv2d(8, Kernel = {|int.MaxValue=>3|}, Dilation = int.MaxValue, PaddingMode = \"same\"), Flatten, Linear(512, 10)]", "36893488113059370010", "conv1", "36893488113059364880")]
    public void TooManyParameters(string layers, string parameters, string largest, string largestParameters) => Reports(
        "[{|CG0022:Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)|}]\n" + layers + "\npublic sealed partial record Net;\n",
        Error("Network 'Net' has " + parameters + " parameters, more than the 2147483647 one float32 array can hold; the largest layer is '" + largest + "' with " + largestParameters));

    [Fact, DiagnosticTest("CG0021")]
    public void ActivationsTooLarge() => Reports(
        "[{|CG0021:Network(InputChannels = 1, InputHeight = 1024, InputWidth = 1024)|}]\n"
        + "[Conv2d({|30=>3|}, Kernel = 1), ReLU, Conv2d(30, Kernel = 1), ReLU, Conv2d(30, Kernel = 1), ReLU, Conv2d(30, Kernel = 1), ReLU, Conv2d(30, Kernel = 1)]\n"
        + "[GlobalAvgPool2d, Flatten, Linear(30, 10)]\n"
        + "public sealed partial record Net;\n",
        Warning("Network 'Net' holds 284164136 activation values per sample, 1136656544 bytes as float32, more than the 1 GiB (1073741824 bytes) ConvGen considers sane for one sample"));

    [Fact]
    public void InFeaturesMismatchPointsAtTheLayersThatDecidedTheSize()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Networks.Mnist.Replace("Linear(3136, 1024)", "Linear(100, 1024)", StringComparison.Ordinal));
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("CG0001", diagnostic.Id);
        Assert.Equal(["MaxPool2d(2)", "Flatten"], diagnostic.AdditionalLocations.Select(location => Text(run, location)));
        Assert.Equal(Source(run).LastIndexOf("MaxPool2d(2)", StringComparison.Ordinal), diagnostic.AdditionalLocations[0].SourceSpan.Start);
    }

    [Fact]
    public void InChannelsMismatchPointsAtTheLayerThatDecidedTheChannels()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Header + Network("Conv2d(4, Kernel = 3), ReLU, MaxPool2d(2), Conv2d(8, Kernel = 3, InChannels = 3), Flatten, Linear(8, 10)"));
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("CG0008", diagnostic.Id);
        Assert.Equal(["4"], diagnostic.AdditionalLocations.Select(location => Text(run, location)));
    }

    [Fact]
    public void InChannelsOfTheFirstLayerPointAtTheNetwork()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Header + Network("Conv2d(8, Kernel = 3, InChannels = 3), Flatten, Linear(288, 10)"));
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(["Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)"], diagnostic.AdditionalLocations.Select(location => Text(run, location)));
    }

    // Diagnostics carry file locations rebuilt from plain values (no syntax tree): read their text from the source.
    private static string Source(GeneratorRun run) => run.InputCompilation.SyntaxTrees.Single().ToString();

    private static string Text(GeneratorRun run, Location location) => Source(run).Substring(location.SourceSpan.Start, location.SourceSpan.Length);
}
