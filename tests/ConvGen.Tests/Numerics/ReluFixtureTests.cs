using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary><see cref="Activations.ReluForward"/> and its gradient against <c>torch.relu</c> and autograd, one test per fixture case.</summary>
public sealed class ReluFixtureTests
{
    private const string Family = "relu";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradient_match_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        int[] shape = fixture.Tensor("input").Shape;
        NumericAssert.ShapeIs(fixture.Tensor("output"), shape, "output");

        float[] output = KernelHarness.ReluForward(fixture.Tensor("input").Values);
        NumericAssert.Matches(fixture.Tensor("output"), shape, output, "output");

        float[] inputGradient = KernelHarness.ReluBackward(output, fixture.Tensor("output_grad").Values);
        NumericAssert.Matches(fixture.Tensor("input_grad"), shape, inputGradient, "input gradient");
    }
}
