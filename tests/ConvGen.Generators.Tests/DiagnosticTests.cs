using static ConvGen.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Every diagnostic by ID, message, severity and exact span. Each markup also carries its fix (<c>wrong=&gt;right</c>),
/// and the fixed network must report nothing and compile cleanly: the no-false-positive half of every test.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Mnist = "1x28x28 -> conv1 32x28x28 -> relu1 32x28x28 -> pool1 32x14x14 -> conv2 64x14x14 -> relu2 64x14x14 -> pool2 64x7x7 -> flatten 3136";

    [Fact, DiagnosticTest("CG0001")]
    public void LinearInFeaturesMismatch() => Reports(
        """
        [Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
        [Conv2d(32, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
        [Conv2d(64, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
        [Flatten, Linear({|CG0001:100=>3136|}, 1024), ReLU, Dropout(0.5), Linear(1024, 10)]
        public sealed partial record MnistNet;
        """,
        Error("Linear 'fc1' declares 100 in-features but receives 3136: " + Mnist));

    // The README's first example, word for word: the error sits on the 100 the user wrote, and the fix writes 128.
    [Fact, DiagnosticTest("CG0001")]
    public void TheReadmesDigitsNetExample() => Reports(
        """
        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Conv2d(16, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
        [Conv2d(32, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
        [Flatten, Linear({|CG0001:100=>128|}, 64), ReLU, Dropout(0.25), Linear(64, 10)]
        public sealed partial record DigitsNet;
        """,
        Error("Linear 'fc1' declares 100 in-features but receives 128: 1x8x8 -> conv1 16x8x8 -> relu1 16x8x8 -> pool1 16x4x4 -> conv2 32x4x4 -> relu2 32x4x4 -> pool2 32x2x2 -> flatten 128"));

    [Fact, DiagnosticTest("CG0001")]
    public void LinearInFeaturesMismatchByParameterName() => Reports(
        Network("Flatten, Linear({|CG0001:inFeatures: 100=>inFeatures: 64|}, outFeatures: 10, Name = \"classifier\")"),
        Error("Linear 'classifier' declares 100 in-features but receives 64: 1x8x8 -> flatten 64"));

    [Fact, DiagnosticTest("CG0002")]
    public void ConvolutionKernelLargerThanInput() => Reports(
        Network("Conv2d(8, {|CG0002:Kernel = 9=>Kernel = 3|}), Flatten, Linear(288, 10)"),
        Error("Conv2d 'conv1' declares kernel 9 but receives a padded height and width of 8, so its output height and width would be 0: 1x8x8"));

    [Fact, DiagnosticTest("CG0002")]
    public void PoolingKernelLargerThanInput() => Reports(
        Network("Conv2d(4, Kernel = 3), MaxPool2d({|CG0002:5=>2|}), Flatten, Linear(16, 10)", height: 6, width: 6),
        Error("MaxPool2d 'pool1' declares kernel 5 but receives a padded height and width of 4, so its output height and width would be 0: 1x6x6 -> conv1 4x4x4"));

    [Fact, DiagnosticTest("CG0002")]
    public void KernelLargerThanOneAxis() => Reports(
        Network("Conv2d(2, {|CG0002:Kernel = 5=>Kernel = 3|}, Padding = 0), Flatten, Linear(24, 10)", height: 8, width: 4),
        Error("Conv2d 'conv1' declares kernel 5 but receives a padded width of 4, so its output width would be 0: 1x8x4"));

    [Theory, DiagnosticTest("CG0003")]
    [InlineData("Conv2d({|CG0003:0=>8|}, Kernel = 3), Flatten, Linear(288, 10)", "Conv2d 'conv1' declares out-channels 0, but out-channels must be at least 1")]
    [InlineData("Conv2d(8, {|CG0003:Kernel = 0=>Kernel = 3|}), Flatten, Linear(288, 10)", "Conv2d 'conv1' declares kernel 0, but kernel must be at least 1")]
    [InlineData("Conv2d(8, Kernel = 3, {|CG0003:Stride = 0=>Stride = 1|}), Flatten, Linear(288, 10)", "Conv2d 'conv1' declares stride 0, but stride must be at least 1")]
    [InlineData("Conv2d(8, Kernel = 3, {|CG0003:Padding = -1=>Padding = 0|}), Flatten, Linear(288, 10)", "Conv2d 'conv1' declares padding -1, but padding must be at least 0")]
    [InlineData("MaxPool2d({|CG0003:0=>2|}), Flatten, Linear(16, 10)", "MaxPool2d 'pool1' declares kernel 0, but kernel must be at least 1")]
    [InlineData("AvgPool2d(2, {|CG0003:Stride = 0=>Stride = 2|}), Flatten, Linear(16, 10)", "AvgPool2d 'pool1' declares stride 0, but stride must be at least 1")]
    [InlineData("MaxPool2d(2, {|CG0003:Padding = -1=>Padding = 0|}), Flatten, Linear(16, 10)", "MaxPool2d 'pool1' declares padding -1, but padding must be at least 0")]
    [InlineData("Flatten, Linear({|CG0003:0=>64|}, 10)", "Linear 'fc1' declares in-features 0, but in-features must be at least 1")]
    [InlineData("Flatten, Linear(64, {|CG0003:-1=>10|})", "Linear 'fc1' declares out-features -1, but out-features must be at least 1")]
    public void SizeNotPositive(string layers, string message) => Reports(Network(layers), Error(message));

    [Theory, DiagnosticTest("CG0004")]
    [InlineData("Network(InputChannels = 1, InputHeight = 8)", "1x8x0")]
    [InlineData("Network", "0x0x0")]
    [InlineData("Network(InputChannels = -3, InputHeight = 8, InputWidth = 8)", "-3x8x8")]
    public void InputShapeMissingOrNotPositive(string network, string shape) => Reports(
        "[{|CG0004:" + network + "=>Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)|}]\n"
        + "[Flatten, Linear(64, 10)]\n"
        + "public sealed partial record Net;\n",
        Error("Network 'Net' declares input " + shape + ": InputChannels, InputHeight and InputWidth must all be set to at least 1"));

    [Fact, DiagnosticTest("CG0005")]
    public void LinearWithoutFlatten() => Reports(
        Network("Conv2d(4, Kernel = 3), {|=>Flatten, |}{|CG0005:Linear(144, 10)|}"),
        Error("Linear 'fc1' receives a 4x6x6 input of 144 values; add [Flatten] before it: 1x8x8 -> conv1 4x6x6"));

    [Theory, DiagnosticTest("CG0006")]
    [InlineData("public sealed {|=>partial |}record {|CG0006:Net|};")]
    [InlineData("public sealed partial {|class=>record|} {|CG0006:Net|};")]
    [InlineData("public partial record {|struct=>class|} {|CG0006:Net|};")]
    public void NotPartialRecordClass(string declaration) => Reports(
        "[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]\n[Flatten, Linear(64, 10)]\n" + declaration + "\n",
        Error("'Net' must be declared as a 'partial record' (a record class) for ConvGen to extend it"));

    [Fact, DiagnosticTest("CG0007")]
    public void StrideLeavesRowsAndColumnsUnused() => Reports(
        Network("Conv2d(8, Kernel = {|3=>4|}, {|CG0007:Stride = 2|}), Flatten, Linear(72, 10)"),
        Warning("Conv2d 'conv1' with kernel 3, stride 2 and padding 0 leaves the last 1 of its 8 input rows and columns unused: 1x8x8"));

    [Fact, DiagnosticTest("CG0007")]
    public void StrideLeavesRowsUnused() => Reports(
        Network("Conv2d(4, Kernel = 3, {|CG0007:Stride = 2=>Stride = 1|}), Flatten, Linear({|36=>120|}, 10)", height: 8, width: 7),
        Warning("Conv2d 'conv1' with kernel 3, stride 2 and padding 0 leaves the last 1 of its 8 input rows unused: 1x8x7"));

    [Fact, DiagnosticTest("CG0007")]
    public void DefaultPoolingStrideLeavesInputUnused() => Reports(
        Network("{|CG0007:MaxPool2d(2)=>MaxPool2d(3, Stride = 2)|}, Flatten, Linear(9, 10)", height: 7, width: 7),
        Warning("MaxPool2d 'pool1' with kernel 2, stride 2 and padding 0 leaves the last 1 of its 7 input rows and columns unused: 1x7x7"));

    [Fact, DiagnosticTest("CG0008")]
    public void InChannelsMismatch() => Reports(
        Network("Conv2d(4, Kernel = 3), Conv2d(8, Kernel = 3, {|CG0008:InChannels = 3=>InChannels = 4|}), Flatten, Linear(128, 10)"),
        Error("Conv2d 'conv2' declares 3 in-channels but receives 4: 1x8x8 -> conv1 4x6x6"));

    [Theory, DiagnosticTest("CG0009")]
    [InlineData("1.5", "1.5")]
    [InlineData("1", "1")]
    [InlineData("-0.1", "-0.1")]
    [InlineData("double.NaN", "NaN")]
    public void DropoutProbabilityOutOfRange(string probability, string shown) => Reports(
        Network("Flatten, Dropout({|CG0009:" + probability + "=>0.5|}), Linear(64, 10)"),
        Error("Dropout 'dropout1' declares p = " + shown + ", but p must be in [0, 1)"));

    [Theory, DiagnosticTest("CG0010")]
    [InlineData("MaxPool2d(2, {|CG0010:Padding = 2=>Padding = 1|})", "MaxPool2d 'pool1' declares padding 2 but its kernel 2 allows at most 1")]
    [InlineData("AvgPool2d(4, Stride = 2, {|CG0010:Padding = 3=>Padding = 2|})", "AvgPool2d 'pool1' declares padding 3 but its kernel 4 allows at most 2")]
    public void PoolingPaddingTooLarge(string pooling, string message) => Reports(
        Network(pooling + ", Flatten, Linear(25, 10)"),
        Error(message + " (PyTorch: padding at most half the kernel)"));

    [Fact, DiagnosticTest("CG0011")]
    public void LayersOnSeveralDeclarations() => Reports(
        """
        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Flatten{|=>, Linear(64, 10)|}]
        public sealed partial record {|CG0011:Net|};

        {|[Linear(64, 10)]=>|}
        public sealed partial record Net;
        """,
        Error("Network 'Net' has layer attributes on more than one partial declaration, so their order is undefined; keep them all beside [Network]"));

    [Fact, DiagnosticTest("CG0012")]
    public void GenericNetwork() => Reports(
        """
        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Flatten, Linear(64, 10)]
        public sealed partial record {|CG0012:Net|}{|<T>=>|};
        """,
        Error("'Net' is generic; ConvGen networks must be top-level, non-generic records"));

    [Fact, DiagnosticTest("CG0012")]
    public void NestedNetwork() => Reports(
        """
        {|public static partial class Outer
        {
        =>|}[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Flatten, Linear(64, 10)]
        public sealed partial record {|CG0012:Net|};
        {|}
        =>|}
        """,
        Error("'Net' is nested in 'Outer'; ConvGen networks must be top-level, non-generic records"));

    [Fact, DiagnosticTest("CG0013")]
    public void ExplicitNameUsedTwice() => Reports(
        Network("Conv2d(8, Kernel = 3), ReLU({|CG0013:Name = \"conv1\"=>Name = \"act1\"|}), Flatten, Linear(288, 10)"),
        Error("Layer name 'conv1' is used twice; names become checkpoint keys and must be unique"));

    [Fact, DiagnosticTest("CG0013")]
    public void DefaultNameTakenByAnEarlierExplicitOne() => Reports(
        Network("Conv2d(4, Kernel = 3, Name = {|\"conv1\"=>\"stem\"|}), {|CG0013:Conv2d(8, Kernel = 3)|}, Flatten, Linear(128, 10)"),
        Error("Layer name 'conv1' is used twice; names become checkpoint keys and must be unique"));

    [Fact, DiagnosticTest("CG0014")]
    public void SpatialLayerAfterFlatten() => Reports(
        Network("{|Flatten, =>|}{|CG0014:MaxPool2d(2)|}{|=>, Flatten|}, Linear(16, 10)"),
        Error("MaxPool2d 'pool1' needs a C x H x W input but receives 64 flat features: 1x8x8 -> flatten 64"));

    [Theory, DiagnosticTest("CG0015")]
    [InlineData("Flatten, {|CG0015:Linear(64, 40000000)=>Linear(64, 10)|}", "Linear 'fc1' would hold 40000000 values per sample", "1x8x8 -> flatten 64")]
    [InlineData("Flatten, {|CG0015:Linear(64, 1000000000)=>Linear(64, 10)|}", "Linear 'fc1' would hold 1000000000 values per sample", "1x8x8 -> flatten 64")]
    [InlineData("{|CG0015:Conv2d(1000000, Kernel = 3)=>Conv2d(8, Kernel = 3)|}, Flatten, Linear(288, 10)", "Conv2d 'conv1' would hold 36000000 values per sample", "1x8x8")]
    [InlineData("{|CG0015:Conv2d(int.MaxValue, Padding = int.MaxValue)=>Conv2d(8, Kernel = 3)|}, Flatten, Linear(288, 10)", "Conv2d 'conv1' would hold 39614081349365889191089536988 values per sample", "1x8x8")]
    public void NetworkTooLarge(string layers, string values, string derivation) => Reports(
        Network(layers),
        Error(values + ", more than the 33554431 a float32 buffer can address: " + derivation));

    [Fact, DiagnosticTest("CG0015")]
    public void InputTooLarge() => Reports(
        """
        [{|CG0015:Network(InputChannels = 1000, InputHeight = 1000, InputWidth = 1000)=>Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)|}]
        [Flatten, Linear(64, 10)]
        public sealed partial record Net;
        """,
        Error("Network 'Net' would hold 1000000000 values per sample, more than the 33554431 a float32 buffer can address: 1000x1000x1000"));
}
