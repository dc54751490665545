using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// <see cref="CrossEntropy"/> against <c>torch.nn.functional.cross_entropy</c> (mean reduction, class-index targets)
/// and autograd, one test per fixture case. Logits spread up to 30 check the max-shifted softmax.
/// </summary>
public sealed class CrossEntropyFixtureTests
{
    private const string Family = "cross_entropy";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_and_gradient_match_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        int batch = fixture.Int("batch"), classes = fixture.Int("classes");
        int[] logitShape = [batch, classes];
        NumericAssert.ShapeIs(fixture.Tensor("logits"), logitShape, "logits");
        NumericAssert.ShapeIs(fixture.Tensor("targets"), [batch], "targets");
        float[] logits = fixture.Tensor("logits").Values;
        int[] targets = fixture.Tensor("targets").AsIntegers();

        var (loss, logitGradient) = KernelHarness.CrossEntropyLossAndGradient(logits, targets, batch, classes);
        NumericAssert.Matches(fixture.Tensor("loss"), [], [loss], "loss");
        NumericAssert.Matches(fixture.Tensor("logits_grad"), logitShape, logitGradient, "logit gradient");
        // The evaluation-only path must agree with the training path.
        NumericAssert.Matches(fixture.Tensor("loss"), [], [CrossEntropy.Loss(logits, targets, batch, classes)], "loss (evaluation)");
    }
}
