using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// The five losses against <c>torch.nn.functional</c> and autograd with every reduction, one test per fixture case
/// (<c>tools/fixtures/make_loss_init_pool_fixtures.py</c>): the value (one number, or one per term unreduced), then the
/// gradient with respect to the input, each shape first. The evaluation-only path must give the training path's value.
/// </summary>
public sealed class LossFixtureTests
{
    // The kernel as one call: input, target (class indices for the class-index losses), input gradient, reduction, upstream, per-term losses.
    private delegate float LossKernel(FixtureCase fixture, float[] input, float[] target, Span<float> inputGradient, Reduction reduction, ReadOnlySpan<float> outputGradient, Span<float> losses);

    private delegate float ValueKernel(FixtureCase fixture, float[] input, float[] target, Reduction reduction, Span<float> losses);

    private static readonly Dictionary<string, (LossKernel WithGradient, ValueKernel ValueOnly)> Kernels = new()
    {
        ["cross_entropy_reductions"] = (
            (f, x, y, g, r, u, l) => CrossEntropy.LossAndGradient(x, Labels(y), g, f.Int("batch"), f.Int("classes"), r, u, l),
            (f, x, y, r, l) => CrossEntropy.Loss(x, Labels(y), f.Int("batch"), f.Int("classes"), r, l)),
        ["nll_loss"] = (
            (f, x, y, g, r, u, l) => NllLoss.LossAndGradient(x, Labels(y), g, f.Int("batch"), f.Int("classes"), r, u, l),
            (f, x, y, r, l) => NllLoss.Loss(x, Labels(y), f.Int("batch"), f.Int("classes"), r, l)),
        ["bce_loss"] = ((_, x, y, g, r, u, l) => BceLoss.LossAndGradient(x, y, g, r, u, l), (_, x, y, r, l) => BceLoss.Loss(x, y, r, l)),
        ["bce_with_logits_loss"] = (
            (_, x, y, g, r, u, l) => BceWithLogitsLoss.LossAndGradient(x, y, g, r, u, l),
            (_, x, y, r, l) => BceWithLogitsLoss.Loss(x, y, r, l)),
        ["mse_loss"] = ((_, x, y, g, r, u, l) => MseLoss.LossAndGradient(x, y, g, r, u, l), (_, x, y, r, l) => MseLoss.Loss(x, y, r, l)),
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string family in Kernels.Keys)
        {
            foreach (string name in PyTorchFixtures.CaseNames(family))
            {
                cases.Add(family, name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_and_input_gradient_match_PyTorch(string family, string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(family, name);
        (LossKernel withGradient, ValueKernel valueOnly) = Kernels[family];
        FixtureTensor input = fixture.Tensor("input"), target = fixture.Tensor("target");
        Reduction reduction = Enum.Parse<Reduction>(fixture.Text("reduction"), ignoreCase: true);
        // Unreduced, a class-index loss has one term per sample (the target's shape), an element-wise one per element.
        int[] termShape = target.Shape;
        int terms = termShape.Aggregate(1, (product, size) => product * size);
        float[] outputGradient = reduction == Reduction.None ? fixture.Tensor("output_grad").Values : [];
        float[] inputGradient = NaNs(input.Values.Length), losses = NaNs(reduction == Reduction.None ? terms : 0);

        float value = withGradient(fixture, input.Values, target.Values, inputGradient, reduction, outputGradient, losses);
        float[] valueOnlyLosses = NaNs(losses.Length);
        float evaluated = valueOnly(fixture, input.Values, target.Values, reduction, valueOnlyLosses);

        if (reduction == Reduction.None)
        {
            NumericAssert.Matches(fixture.Tensor("output"), termShape, losses, "losses");
            NumericAssert.Matches(fixture.Tensor("output"), termShape, valueOnlyLosses, "losses (evaluation)");
            Assert.Equal(losses.Select(l => (double)l).Sum(), value, 1e-4 * Math.Max(1, Math.Abs(value)));
        }
        else
        {
            NumericAssert.Matches(fixture.Tensor("output"), [], [value], "loss");
        }

        Assert.Equal(value, evaluated);
        NumericAssert.Matches(fixture.Tensor("input_grad"), input.Shape, inputGradient, "input gradient");
    }

    private static int[] Labels(float[] values) => new FixtureTensor([values.Length], values).AsIntegers();

    private static float[] NaNs(int length) => Enumerable.Repeat(float.NaN, length).ToArray();
}
