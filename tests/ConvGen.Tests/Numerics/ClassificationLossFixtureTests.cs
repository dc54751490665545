using ConvGen.Training;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// The loss-only path evaluation takes (<c>ClassificationLoss.Loss</c>) against the training path's value
/// (<c>ClassificationLoss.LossAndGradient</c>), for every <see cref="TrainingLoss"/> on the outputs of the class-index
/// loss fixtures (<c>tools/fixtures/make_loss_init_pool_fixtures.py</c>): the same number to the bit, and PyTorch's where
/// the fixture computed that very loss with the mean reduction.
/// </summary>
public sealed class ClassificationLossFixtureTests
{
    // The outputs each loss takes: logits from cross_entropy_reductions; the log-probabilities of nll_loss, and for BCE
    // their exponentials, the probabilities of a network ending in Softmax.
    private static readonly Dictionary<TrainingLoss, (string Family, bool Exponentiate)> Outputs = new()
    {
        [TrainingLoss.CrossEntropy] = ("cross_entropy_reductions", false),
        [TrainingLoss.BceWithLogits] = ("cross_entropy_reductions", false),
        [TrainingLoss.Mse] = ("cross_entropy_reductions", false),
        [TrainingLoss.Nll] = ("nll_loss", false),
        [TrainingLoss.Bce] = ("nll_loss", true),
    };

    public static TheoryData<TrainingLoss, string> Cases()
    {
        var cases = new TheoryData<TrainingLoss, string>();
        foreach ((TrainingLoss loss, (string family, _)) in Outputs)
        {
            foreach (string name in PyTorchFixtures.CaseNames(family))
            {
                cases.Add(loss, name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_loss_alone_is_the_training_paths_loss(TrainingLoss loss, string name)
    {
        (string family, bool exponentiate) = Outputs[loss];
        FixtureCase fixture = PyTorchFixtures.Case(family, name);
        int batch = fixture.Int("batch"), classes = fixture.Int("classes");
        float[] output = fixture.Tensor("input").Values;
        output = exponentiate ? [.. output.Select(MathF.Exp)] : output;
        int[] labels = fixture.Tensor("target").AsIntegers();
        float[] gradient = new float[batch * classes], oneHot = new float[batch * classes];

        float trained = ClassificationLoss.LossAndGradient(loss, output, labels, gradient, oneHot, batch, classes);
        // The loss-only path builds its own one-hot targets: what the training path left there must not matter.
        oneHot.AsSpan().Fill(float.NaN);
        float evaluated = ClassificationLoss.Loss(loss, output, labels, oneHot, batch, classes);

        Assert.Equal(BitConverter.SingleToInt32Bits(trained), BitConverter.SingleToInt32Bits(evaluated));
        Assert.True(float.IsFinite(evaluated), $"{loss} gave {evaluated}");
        if (loss is TrainingLoss.CrossEntropy or TrainingLoss.Nll && fixture.Text("reduction") == "mean")
        {
            NumericAssert.Matches(fixture.Tensor("output"), [], [evaluated], "loss");
        }
    }
}
