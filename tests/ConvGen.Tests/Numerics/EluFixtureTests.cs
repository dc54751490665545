using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary>ELU for several alphas (zero and negative ones too, and inputs near 0), forward and gradient, against PyTorch's <c>F.elu</c> and autograd.</summary>
public sealed class EluFixtureTests
{
    private const string Family = "elu";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradient_match_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
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
