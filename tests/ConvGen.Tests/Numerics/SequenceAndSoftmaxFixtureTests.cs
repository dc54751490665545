using ConvGen.Kernels;
using ConvGen.Shapes;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// Conv1d (run as a height-1 2-D convolution, <see cref="Conv2dGeometry.Conv1d"/>) and softmax and log-softmax over dim 1,
/// forward and every gradient, against PyTorch 1.13 (<c>tools/fixtures/make_layer_fixtures.py</c>): shape first, then values.
/// </summary>
public sealed class SequenceAndSoftmaxFixtureTests
{
    public static TheoryData<string> Conv1dCases => PyTorchFixtures.CaseNames("conv1d");

    public static TheoryData<string> SoftmaxCases => PyTorchFixtures.CaseNames("softmax");

    public static TheoryData<string> LogSoftmaxCases => PyTorchFixtures.CaseNames("log_softmax");

    [Theory]
    [MemberData(nameof(Conv1dCases))]
    public void Conv1d_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("conv1d", name);
        int batch = fixture.Int("batch"), length = fixture.Int("length"), kernel = fixture.Int("kernel");
        int stride = fixture.Int("stride"), padding = fixture.Int("padding"), dilation = fixture.Int("dilation"), groups = fixture.Int("groups");
        string mode = fixture.Text("padding_mode");
        bool hasBias = fixture.Bool("bias");
        if (mode == "same")
        {
            // The fixture's padding before is PyTorch's split; the shared rule must agree.
            ShapeRules.SamePadding(kernel, dilation, out long before, out _);
            Assert.Equal(padding, (int)before);
        }

        int outputLength = mode == "same" ? length : (int)ShapeRules.ConvolutionOutputSize(length, kernel, stride, padding, dilation);
        Conv2dGeometry geometry = Conv2dGeometry.Conv1d(
            fixture.Int("in_channels"), length, fixture.Int("out_channels"), outputLength, kernel, stride, padding, dilation, groups);
        int[] inputShape = [batch, geometry.InChannels, length];
        int[] outputShape = [batch, geometry.OutChannels, outputLength];
        int[] weightShape = [geometry.OutChannels, geometry.GroupInChannels, kernel];
        NumericAssert.ShapeIs(fixture.Tensor("weight"), weightShape, "weight");
        NumericAssert.ShapeIs(fixture.Tensor("output"), outputShape, "output");

        float[] input = fixture.Tensor("input").Values, weight = fixture.Tensor("weight").Values, outputGradient = fixture.Tensor("output_grad").Values;
        float[] bias = hasBias ? fixture.Tensor("bias").Values : [];
        // The direct-loop kernel runs every case; the im2col one also where the generator calls it (no dilation or
        // groups, as many zeros after as before).
        bool im2col = geometry.Groups == 1 && dilation == 1 && (mode != "same" || (kernel - 1) % 2 == 0);
        var runs = new List<(string Kernel, float[] Output, LayerGradients Gradients)>
        {
            ("Conv2dGeneral", KernelHarness.Conv2dGeneralForward(input, weight, bias, batch, geometry), KernelHarness.Conv2dGeneralBackward(input, weight, outputGradient, hasBias, batch, geometry)),
        };
        if (im2col)
        {
            runs.Add(("Conv2d", KernelHarness.Conv2dForward(input, weight, bias, batch, geometry), KernelHarness.Conv2dBackward(input, weight, outputGradient, hasBias, batch, geometry)));
        }

        foreach ((string kernelName, float[] output, LayerGradients gradients) in runs)
        {
            NumericAssert.Matches(fixture.Tensor("output"), outputShape, output, kernelName + " output");
            NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, gradients.Input, kernelName + " input gradient");
            NumericAssert.Matches(fixture.Tensor("weight_grad"), weightShape, gradients.Weight, kernelName + " weight gradient");
            if (hasBias)
            {
                NumericAssert.Matches(fixture.Tensor("bias_grad"), [geometry.OutChannels], gradients.Bias, kernelName + " bias gradient");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SoftmaxCases))]
    public void Softmax_matches_PyTorch(string name) => CheckSoftmax("softmax", name, log: false);

    [Theory]
    [MemberData(nameof(LogSoftmaxCases))]
    public void LogSoftmax_matches_PyTorch(string name) => CheckSoftmax("log_softmax", name, log: true);

    private static void CheckSoftmax(string family, string name, bool log)
    {
        FixtureCase fixture = PyTorchFixtures.Case(family, name);
        int[] shape = fixture.Tensor("input").Shape;
        int batch = shape[0], channels = shape[1], positions = shape[2..].Aggregate(1, (product, size) => product * size);
        NumericAssert.ShapeIs(fixture.Tensor("output"), shape, "output");

        float[] output = KernelHarness.SoftmaxForward(fixture.Tensor("input").Values, batch, channels, positions, log);
        NumericAssert.Matches(fixture.Tensor("output"), shape, output, "output");
        float[] inputGradient = KernelHarness.SoftmaxBackward(output, fixture.Tensor("output_grad").Values, batch, channels, positions, log);
        NumericAssert.Matches(fixture.Tensor("input_grad"), shape, inputGradient, "input gradient");
    }
}
