using static ConvGen.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Sequence inputs and Conv1d: the two diagnostics of their own (a sequence and an image size on one input; a layer on
/// the wrong kind of input), and the convolution checks Conv1d shares with Conv2d, each by ID, message and span with
/// its fix checked for false positives.
/// </summary>
public sealed class SequenceDiagnosticTests
{
    [Theory, DiagnosticTest("CG0023")]
    [InlineData("InputLength = 100, InputHeight = 1", "InputHeight")]
    [InlineData("InputWidth = 100, InputLength = 100", "InputWidth")]
    [InlineData("InputHeight = 10, InputWidth = 10, InputLength = 100", "InputHeight and InputWidth")]
    public void InputBothSequenceAndImage(string sizes, string image) => Reports(
        "[{|CG0023:Network(InputChannels = 1, " + sizes + ")=>Network(InputChannels = 1, InputLength = 100)|}]\n"
        + "[Conv1d(8, Kernel = 3), Flatten, Linear(784, 10)]\n"
        + "public sealed partial record Net;\n",
        Error("Network 'Net' declares InputLength together with " + image
            + ": a sequence input takes InputChannels and InputLength, an image input InputChannels, InputHeight and InputWidth"));

    [Theory, DiagnosticTest("CG0024")]
    [InlineData("Conv1d(16, Kernel = 3), {|CG0024:MaxPool2d(2)=>ReLU|}, Flatten, Linear(1568, 10)", "MaxPool2d 'pool1' needs a C x H x W input but receives 16x98 (C x L): 1x100 -> conv1 16x98")]
    [InlineData("{|CG0024:Conv2d(4, Kernel = 3)=>Conv1d(4, Kernel = 3)|}, Flatten, Linear(392, 10)", "Conv2d 'conv1' needs a C x H x W input but receives 1x100 (C x L): 1x100")]
    [InlineData("{|CG0024:AvgPool2d(2)=>Tanh|}, Flatten, Linear(100, 10)", "AvgPool2d 'pool1' needs a C x H x W input but receives 1x100 (C x L): 1x100")]
    [InlineData("Conv1d(2, Kernel = 3), {|CG0024:GlobalAvgPool2d=>Softmax|}, Flatten, Linear(196, 10)", "AdaptiveAvgPool2d 'pool1' needs a C x H x W input but receives 2x98 (C x L): 1x100 -> conv1 2x98")]
    [InlineData("Conv1d(2, Kernel = 3), Flatten, {|CG0024:Conv1d(4, Kernel = 3)=>Dropout(0.5)|}, Linear(196, 10)", "Conv1d 'conv2' needs a C x L input but receives 196 flat features: 1x100 -> conv1 2x98 -> flatten 196")]
    public void ImageLayerOnASequence(string layers, string message) => Reports(Sequence(layers, length: 100), Error(message));

    [Fact, DiagnosticTest("CG0024")]
    public void Conv1dOnAnImage() => Reports(
        Network("{|CG0024:Conv1d(4, Kernel = 3)=>Conv2d(4, Kernel = 3)|}, Flatten, Linear(144, 10)"),
        Error("Conv1d 'conv1' needs a C x L input but receives 1x8x8 (C x H x W): 1x8x8"));

    [Theory, DiagnosticTest("CG0004")]
    [InlineData("Network(InputChannels = 1, InputLength = 0)", "1x0")]
    [InlineData("Network(InputLength = 8)", "0x8")]
    [InlineData("Network(InputChannels = 2, InputLength = -8)", "2x-8")]
    public void SequenceInputNotPositive(string network, string shape) => Reports(
        "[{|CG0004:" + network + "=>Network(InputChannels = 1, InputLength = 8)|}]\n"
        + "[Flatten, Linear(8, 10)]\n"
        + "public sealed partial record Net;\n",
        Error("Network 'Net' declares input " + shape + ": InputChannels and InputLength must both be set to at least 1"));

    [Fact, DiagnosticTest("CG0001")]
    public void LinearInFeaturesAfterConv1d() => Reports(
        Sequence("Conv1d(4, Kernel = 3), ReLU, Flatten, Linear({|CG0001:100=>24|}, 10), LogSoftmax"),
        Error("Linear 'fc1' declares 100 in-features but receives 24: 1x8 -> conv1 4x6 -> relu1 4x6 -> flatten 24"));

    [Theory, DiagnosticTest("CG0002")]
    [InlineData("Conv1d(8, {|CG0002:Kernel = 9=>Kernel = 3|}), Flatten, Linear(48, 10)", "Conv1d 'conv1' declares kernel 9 but receives a padded length of 8, so its output length would be 0: 1x8")]
    [InlineData("Conv1d(8, {|CG0002:Kernel = 3|}, Dilation = {|4=>1|}), Flatten, Linear(48, 10)", "Conv1d 'conv1' declares kernel 3 dilated by 4 to 9 but receives a padded length of 8, so its output length would be 0: 1x8")]
    public void Conv1dKernelLargerThanItsInput(string layers, string message) => Reports(Sequence(layers), Error(message));

    [Theory, DiagnosticTest("CG0003")]
    [InlineData("Conv1d({|CG0003:0=>8|}, Kernel = 3), Flatten, Linear(48, 10)", "Conv1d 'conv1' declares out-channels 0, but out-channels must be at least 1")]
    [InlineData("Conv1d(8, {|CG0003:Kernel = 0=>Kernel = 3|}), Flatten, Linear(48, 10)", "Conv1d 'conv1' declares kernel 0, but kernel must be at least 1")]
    [InlineData("Conv1d(8, Kernel = 3, {|CG0003:Stride = 0=>Stride = 1|}), Flatten, Linear(48, 10)", "Conv1d 'conv1' declares stride 0, but stride must be at least 1")]
    [InlineData("Conv1d(8, Kernel = 3, {|CG0003:Padding = -1=>Padding = 0|}), Flatten, Linear(48, 10)", "Conv1d 'conv1' declares padding -1, but padding must be at least 0")]
    [InlineData("Conv1d(8, Kernel = 3, {|CG0003:Dilation = 0=>Dilation = 1|}), Flatten, Linear(48, 10)", "Conv1d 'conv1' declares dilation 0, but dilation must be at least 1")]
    [InlineData("Conv1d(8, Kernel = 3, {|CG0003:Groups = 0=>Groups = 1|}), Flatten, Linear(48, 10)", "Conv1d 'conv1' declares groups 0, but groups must be at least 1")]
    public void Conv1dSizeNotPositive(string layers, string message) => Reports(Sequence(layers), Error(message));

    [Fact, DiagnosticTest("CG0007")]
    public void Conv1dStrideLeavesPositionsUnused() => Reports(
        Sequence("Conv1d(8, Kernel = {|3=>4|}, {|CG0007:Stride = 2|}), Flatten, Linear(24, 10)"),
        Warning("Conv1d 'conv1' with kernel 3, stride 2 and padding 0 leaves the last 1 of its 8 input positions unused: 1x8"));

    [Fact, DiagnosticTest("CG0008")]
    public void Conv1dInChannelsMismatch() => Reports(
        Sequence("Conv1d(4, Kernel = 3), Conv1d(8, Kernel = 3, {|CG0008:InChannels = 3=>InChannels = 4|}), Flatten, Linear(32, 10)"),
        Error("Conv1d 'conv2' declares 3 in-channels but receives 4: 1x8 -> conv1 4x6"));

    [Fact, DiagnosticTest("CG0016")]
    public void Conv1dGroupsDoNotDivideChannels() => Reports(
        Sequence("Conv1d(4, Kernel = 3), Conv1d(6, Kernel = 3, {|CG0016:Groups = 4=>Groups = 2|}), Flatten, Linear(24, 10)"),
        Error("Conv1d 'conv2' declares 4 groups, which do not divide its 6 out-channels: 1x8 -> conv1 4x6"));

    [Fact, DiagnosticTest("CG0017")]
    public void Conv1dSamePaddingWithStride() => Reports(
        Sequence("Conv1d(4, Kernel = 3, {|CG0017:PaddingMode = \"same\"=>PaddingMode = \"valid\"|}, Stride = 2), Flatten, Linear(16, 10)", length: 9),
        Error("Conv1d 'conv1' declares PaddingMode \"same\" with stride 2, but PyTorch allows \"same\" only with stride 1"));

    [Fact, DiagnosticTest("CG0018")]
    public void Conv1dUnknownPaddingMode() => Reports(
        Sequence("Conv1d(4, Kernel = 3, {|CG0018:PaddingMode = \"full\"=>PaddingMode = \"same\"|}), Flatten, Linear(32, 10)"),
        Error("Conv1d 'conv1' declares PaddingMode \"full\": PaddingMode must be \"same\" or \"valid\""));

    [Fact, DiagnosticTest("CG0019")]
    public void Conv1dAsymmetricSamePadding() => Reports(
        Sequence("Conv1d(4, Kernel = {|4=>3|}, {|CG0019:PaddingMode = \"same\"|}), Flatten, Linear(32, 10)"),
        Warning("Conv1d 'conv1' with PaddingMode \"same\" and a dilated kernel of 4 pads 1 before and 2 after along its length: the extra zero goes at the end, as in PyTorch"));

    /// <summary>A network of 1 x <paramref name="length"/> sequences with <paramref name="layers"/> as its one attribute list.</summary>
    private static string Sequence(string layers, int length = 8) =>
        "[Network(InputChannels = 1, InputLength = " + length + ")]\n[" + layers + "]\npublic sealed partial record Net;\n";
}
