using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// LeakyReLU (negative slopes too), sigmoid, tanh and ELU (several alphas, zero and negative ones too, and inputs near 0),
/// forward and gradient, against PyTorch and autograd.
/// </summary>
public sealed class ActivationFixtureTests
{
    private const string Family = "activations";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    public static TheoryData<string> EluCases => PyTorchFixtures.CaseNames("elu");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradient_match_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        float[] input = fixture.Tensor("input").Values;
        int[] shape = fixture.Tensor("input").Shape;
        NumericAssert.ShapeIs(fixture.Tensor("output"), shape, "output");
        float[] output = new float[input.Length];
        float[] gradient = (float[])fixture.Tensor("output_grad").Values.Clone();
        switch (fixture.Text("kind"))
        {
            case "leaky_relu":
                float slope = fixture.Float("negative_slope");
                Activations.LeakyReluForward(input, output, slope);
                Activations.LeakyReluBackward(input, gradient, slope);
                break;
            case "sigmoid":
                Activations.SigmoidForward(input, output);
                Activations.SigmoidBackward(output, gradient);
                break;
            default:
                Activations.TanhForward(input, output);
                Activations.TanhBackward(output, gradient);
                break;
        }

        NumericAssert.Matches(fixture.Tensor("output"), shape, output, "output");
        NumericAssert.Matches(fixture.Tensor("input_grad"), shape, gradient, "input gradient");
    }

    [Theory]
    [MemberData(nameof(EluCases))]
    public void Elu_forward_and_gradient_match_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("elu", name);
        float[] input = fixture.Tensor("input").Values;
        int[] shape = fixture.Tensor("input").Shape;
        float alpha = fixture.Float("alpha");
        float[] output = new float[input.Length];
        float[] gradient = (float[])fixture.Tensor("output_grad").Values.Clone();

        Activations.EluForward(input, output, alpha);
        Activations.EluBackward(input, gradient, alpha);

        NumericAssert.Matches(fixture.Tensor("output"), shape, output, "output");
        NumericAssert.Matches(fixture.Tensor("input_grad"), shape, gradient, "input gradient");
    }
}
