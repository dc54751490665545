using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary><see cref="Linear"/> against <c>torch.nn.functional.linear</c> and autograd, one test per fixture case.</summary>
public sealed class LinearFixtureTests
{
    private const string Family = "linear";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_match_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        int batch = fixture.Int("batch"), inFeatures = fixture.Int("in_features"), outFeatures = fixture.Int("out_features");
        bool hasBias = fixture.Bool("bias");
        int[] inputShape = [batch, inFeatures], outputShape = [batch, outFeatures], weightShape = [outFeatures, inFeatures];
        NumericAssert.ShapeIs(fixture.Tensor("input"), inputShape, "input");
        NumericAssert.ShapeIs(fixture.Tensor("weight"), weightShape, "weight");
        NumericAssert.ShapeIs(fixture.Tensor("output"), outputShape, "output");

        float[] input = fixture.Tensor("input").Values, weight = fixture.Tensor("weight").Values;
        float[] bias = hasBias ? fixture.Tensor("bias").Values : [];
        float[] output = KernelHarness.LinearForward(input, weight, bias, batch, inFeatures, outFeatures);
        NumericAssert.Matches(fixture.Tensor("output"), outputShape, output, "output");

        LayerGradients gradients = KernelHarness.LinearBackward(
            input, weight, fixture.Tensor("output_grad").Values, hasBias, batch, inFeatures, outFeatures);
        NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, gradients.Input, "input gradient");
        NumericAssert.Matches(fixture.Tensor("weight_grad"), weightShape, gradients.Weight, "weight gradient");
        if (hasBias)
        {
            NumericAssert.Matches(fixture.Tensor("bias_grad"), [outFeatures], gradients.Bias, "bias gradient");
        }
    }
}
