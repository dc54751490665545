using ConvGen.Kernels;
using ConvGen.Shapes;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// The kernels behind the generator's wider vocabulary against PyTorch: <see cref="Conv2dGeneral"/> (dilation, groups,
/// <c>padding='same'</c> with its asymmetric split), pooling in ceil mode, and <see cref="AdaptivePooling"/>. Output sizes
/// come from the shared <see cref="ShapeRules"/>, so the fixtures check those too.
/// </summary>
public sealed class GeneralKernelFixtureTests
{
    public static TheoryData<string> ConvolutionCases => PyTorchFixtures.CaseNames("conv2d_general");

    public static TheoryData<string> CeilPoolingCases => PyTorchFixtures.CaseNames("pool2d_ceil");

    public static TheoryData<string> AdaptiveCases => PyTorchFixtures.CaseNames("adaptive_avg_pool2d");

    [Theory]
    [MemberData(nameof(ConvolutionCases))]
    public void Dilated_grouped_and_same_padded_convolution_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("conv2d_general", name);
        int batch = fixture.Int("batch"), height = fixture.Int("height"), width = fixture.Int("width");
        int kernelHeight = fixture.Int("kernel_h"), kernelWidth = fixture.Int("kernel_w");
        int strideHeight = fixture.Int("stride_h"), strideWidth = fixture.Int("stride_w");
        int dilationHeight = fixture.Int("dilation_h"), dilationWidth = fixture.Int("dilation_w"), groups = fixture.Int("groups");
        int paddingHeight = fixture.Int("padding_h"), paddingWidth = fixture.Int("padding_w");
        bool same = fixture.Bool("same"), hasBias = fixture.Bool("bias");
        var geometry = new Conv2dGeometry(
            fixture.Int("in_channels"), height, width, fixture.Int("out_channels"),
            same ? height : (int)ShapeRules.ConvolutionOutputSize(height, kernelHeight, strideHeight, paddingHeight, dilationHeight),
            same ? width : (int)ShapeRules.ConvolutionOutputSize(width, kernelWidth, strideWidth, paddingWidth, dilationWidth),
            kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth,
            dilationHeight, dilationWidth, groups);
        if (same)
        {
            // The fixture's padding before is PyTorch's split; the shared rule must agree.
            ShapeRules.SamePadding(kernelHeight, dilationHeight, out long top, out _);
            ShapeRules.SamePadding(kernelWidth, dilationWidth, out long left, out _);
            Assert.Equal((paddingHeight, paddingWidth), ((int)top, (int)left));
        }

        int[] inputShape = [batch, geometry.InChannels, height, width];
        int[] outputShape = [batch, geometry.OutChannels, geometry.OutputHeight, geometry.OutputWidth];
        int[] weightShape = [geometry.OutChannels, geometry.GroupInChannels, kernelHeight, kernelWidth];
        NumericAssert.ShapeIs(fixture.Tensor("weight"), weightShape, "weight");
        NumericAssert.ShapeIs(fixture.Tensor("output"), outputShape, "output");

        float[] input = fixture.Tensor("input").Values, weight = fixture.Tensor("weight").Values;
        float[] bias = hasBias ? fixture.Tensor("bias").Values : [];
        NumericAssert.Matches(fixture.Tensor("output"), outputShape, KernelHarness.Conv2dGeneralForward(input, weight, bias, batch, geometry), "output");

        LayerGradients gradients = KernelHarness.Conv2dGeneralBackward(input, weight, fixture.Tensor("output_grad").Values, hasBias, batch, geometry);
        NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, gradients.Input, "input gradient");
        NumericAssert.Matches(fixture.Tensor("weight_grad"), weightShape, gradients.Weight, "weight gradient");
        if (hasBias)
        {
            NumericAssert.Matches(fixture.Tensor("bias_grad"), [geometry.OutChannels], gradients.Bias, "bias gradient");
        }
    }

    [Theory]
    [MemberData(nameof(CeilPoolingCases))]
    public void Ceil_mode_pooling_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("pool2d_ceil", name);
        int batch = fixture.Int("batch"), channels = fixture.Int("channels"), planes = batch * channels;
        PoolGeometry geometry = KernelHarness.PoolingGeometry(
            fixture.Int("height"), fixture.Int("width"), fixture.Int("kernel_h"), fixture.Int("kernel_w"),
            fixture.Int("stride_h"), fixture.Int("stride_w"), fixture.Int("padding_h"), fixture.Int("padding_w"), ceilMode: true);
        int[] inputShape = [batch, channels, geometry.InputHeight, geometry.InputWidth];
        int[] outputShape = [batch, channels, geometry.OutputHeight, geometry.OutputWidth];
        NumericAssert.ShapeIs(fixture.Tensor("output"), outputShape, "output");
        float[] input = fixture.Tensor("input").Values, outputGradient = fixture.Tensor("output_grad").Values;

        if (fixture.Text("kind") == "max")
        {
            var (output, indices) = KernelHarness.MaxPoolForward(input, planes, geometry);
            NumericAssert.Matches(fixture.Tensor("output"), outputShape, output, "output");
            Assert.Equal(fixture.Tensor("indices").AsIntegers(), indices);
            NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, KernelHarness.MaxPoolBackward(outputGradient, indices, planes, geometry), "input gradient");
        }
        else
        {
            // The divisor counts padding but not what lies past it: the window clipped to the padded input.
            NumericAssert.Matches(fixture.Tensor("output"), outputShape, KernelHarness.AveragePoolForward(input, planes, geometry), "output");
            NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, KernelHarness.AveragePoolBackward(outputGradient, planes, geometry), "input gradient");
        }
    }

    [Theory]
    [MemberData(nameof(AdaptiveCases))]
    public void Adaptive_average_pooling_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("adaptive_avg_pool2d", name);
        int batch = fixture.Int("batch"), channels = fixture.Int("channels"), planes = batch * channels;
        int height = fixture.Int("height"), width = fixture.Int("width"), outputHeight = fixture.Int("output_h"), outputWidth = fixture.Int("output_w");
        int[] inputShape = [batch, channels, height, width];
        int[] outputShape = [batch, channels, outputHeight, outputWidth];

        float[] output = KernelHarness.AdaptiveAveragePoolForward(fixture.Tensor("input").Values, planes, height, width, outputHeight, outputWidth);
        NumericAssert.Matches(fixture.Tensor("output"), outputShape, output, "output");
        float[] inputGradient = KernelHarness.AdaptiveAveragePoolBackward(fixture.Tensor("output_grad").Values, planes, height, width, outputHeight, outputWidth);
        NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, inputGradient, "input gradient");
    }
}
