using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>What the losses refuse, each with a message naming the loss and the values at fault.</summary>
public sealed class LossArgumentTests
{
    [Fact]
    public void Unreduced_losses_need_room_for_every_term()
    {
        var error = Assert.Throws<ArgumentException>(() => MseLoss.Loss([1f, 2f, 3f], [0f, 0f, 0f], Reduction.None, new float[2]));
        Assert.StartsWith("MseLoss: Reduction.None writes 3 losses but the span for them holds 2.", error.Message);
    }

    [Fact]
    public void Unreduced_gradients_need_an_upstream_gradient_per_term()
    {
        var error = Assert.Throws<ArgumentException>(
            () => CrossEntropy.LossAndGradient([1f, 2f, 3f, 4f], [0, 1], new float[4], batch: 2, classes: 2, Reduction.None, [1f], new float[2]));
        Assert.StartsWith("CrossEntropy: Reduction.None needs the upstream gradient of each of the 2 losses but 1 were given.", error.Message);
    }

    [Fact]
    public void A_reduced_loss_takes_no_upstream_gradient_per_term()
    {
        var error = Assert.Throws<ArgumentException>(() => BceWithLogitsLoss.LossAndGradient([1f], [1f], new float[1], Reduction.Sum, [2f]));
        Assert.StartsWith("BceWithLogitsLoss: an upstream gradient per term goes only with Reduction.None; Sum gives one number, whose gradient is 1.", error.Message);
    }

    [Fact]
    public void An_undefined_reduction_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => NllLoss.Loss([0f, -1f], [1], batch: 1, classes: 2, (Reduction)7));
        Assert.StartsWith("NllLoss: reduction 7 is not Mean, Sum or None.", error.Message);
    }

    [Fact]
    public void Input_and_target_of_different_sizes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => MseLoss.Loss([1f, 2f], [1f]));
        Assert.StartsWith("MseLoss: the input has 2 values but the target has 1; they must have the same shape.", error.Message);
    }

    [Theory]
    [InlineData(-0.5f, "BceLoss: input 1 is -0.5, not a probability in [0, 1]; pass logits to BceWithLogitsLoss instead.")]
    [InlineData(1.5f, "BceLoss: input 1 is 1.5, not a probability in [0, 1]; pass logits to BceWithLogitsLoss instead.")]
    [InlineData(float.NaN, "BceLoss: input 1 is NaN, not a probability in [0, 1]; pass logits to BceWithLogitsLoss instead.")]
    public void Binary_cross_entropy_refuses_what_is_not_a_probability(float input, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BceLoss.Loss([0.5f, input], [1f, 0f]));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Binary_cross_entropy_clamps_its_logs_at_minus_one_hundred_as_PyTorch()
    {
        // A certain wrong answer costs 100, not infinity; a certain right one costs nothing.
        Assert.Equal(100f, BceLoss.Loss([0f], [1f]));
        Assert.Equal(100f, BceLoss.Loss([1f], [0f]));
        Assert.Equal(0f, BceLoss.Loss([1f, 0f], [1f, 0f], Reduction.Sum));
    }

    [Fact]
    public void A_label_outside_the_classes_is_refused_naming_the_sample()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NllLoss.Loss([0f, -1f, -2f, -3f], [1, 2], batch: 2, classes: 2));
        Assert.StartsWith("NllLoss: label 2 of sample 1 is outside the 2 classes 0..1.", error.Message);
    }
}
