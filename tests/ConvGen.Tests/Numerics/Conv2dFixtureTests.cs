using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary><see cref="Conv2d"/> against <c>torch.nn.functional.conv2d</c> and autograd, one test per fixture case.</summary>
public sealed class Conv2dFixtureTests
{
    private const string Family = "conv2d";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_match_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        int batch = fixture.Int("batch");
        bool hasBias = fixture.Bool("bias");
        Conv2dGeometry geometry = KernelHarness.ConvolutionGeometry(
            fixture.Int("in_channels"), fixture.Int("height"), fixture.Int("width"), fixture.Int("out_channels"),
            fixture.Int("kernel_h"), fixture.Int("kernel_w"), fixture.Int("stride_h"), fixture.Int("stride_w"),
            fixture.Int("padding_h"), fixture.Int("padding_w"));
        int[] inputShape = [batch, geometry.InChannels, geometry.InputHeight, geometry.InputWidth];
        int[] outputShape = [batch, geometry.OutChannels, geometry.OutputHeight, geometry.OutputWidth];
        int[] weightShape = [geometry.OutChannels, geometry.InChannels, geometry.KernelHeight, geometry.KernelWidth];
        int[] biasShape = [geometry.OutChannels];
        NumericAssert.ShapeIs(fixture.Tensor("input"), inputShape, "input");
        NumericAssert.ShapeIs(fixture.Tensor("weight"), weightShape, "weight");
        NumericAssert.ShapeIs(fixture.Tensor("output"), outputShape, "output");

        float[] input = fixture.Tensor("input").Values, weight = fixture.Tensor("weight").Values;
        float[] bias = hasBias ? fixture.Tensor("bias").Values : [];
        float[] output = KernelHarness.Conv2dForward(input, weight, bias, batch, geometry);
        NumericAssert.Matches(fixture.Tensor("output"), outputShape, output, "output");

        LayerGradients gradients = KernelHarness.Conv2dBackward(input, weight, fixture.Tensor("output_grad").Values, hasBias, batch, geometry);
        NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, gradients.Input, "input gradient");
        NumericAssert.Matches(fixture.Tensor("weight_grad"), weightShape, gradients.Weight, "weight gradient");
        if (hasBias)
        {
            NumericAssert.Matches(fixture.Tensor("bias_grad"), biasShape, gradients.Bias, "bias gradient");
        }
    }
}
