using ConvGen.Layers;
using ConvGen.Training;
using LanguageExt;

namespace ConvGen.Tests.Composition;

/// <summary>
/// Residual and concatenation values in a <see cref="Sequential"/>: what does not fit is an error value in the
/// generator's words (CG0033, CG0034, a layer inside a branch by its dotted name), after the top-level index; a branch
/// without layers is refused as the generator refuses an empty block; a null inside a branch is a bug in the caller.
/// Twins of generated residual networks (outputs, gradients, training, bit for bit) are in <see cref="SequentialEquivalenceTests"/>.
/// </summary>
public sealed class SequentialResidualTests
{
    [Fact]
    public void AnIdentityShortcutAfterAStridedBranchIsRefusedWithBothDerivations() => AssertErrors(
        Sequential.Create((16, 8, 8), [new ReLU(), new Residual([new Conv2d(32) { Kernel = 3, Stride = 2, Padding = 1 }, new BatchNorm2d()])]),
        "layers[1] Residual 'res1' cannot add its branches: main 32x4x4 (16x8x8 -> res1.conv1 32x4x4 -> res1.bn1 32x4x4) but shortcut 16x8x8 (identity)");

    [Fact]
    public void BranchesOfDifferentSizesAreRefused() => AssertErrors(
        Sequential.Create((3, 6, 6), [new Concat([[new Conv2d(4) { Kernel = 3 }], [new Conv2d(4) { Kernel = 1 }]])]),
        "layers[0] Concat 'cat1' joins branches of different height and width: 'branch1' gives 4x4x4 (3x6x6 -> cat1.branch1.conv1 4x4x4) but 'branch2' gives 4x6x6 (3x6x6 -> cat1.branch2.conv1 4x6x6)");

    [Fact]
    public void ALayerInsideABranchIsNamedByItsPlace() => AssertErrors(
        Sequential.Create((8, 4, 4), [new Residual([new Conv2d(8) { Kernel = 1 }]) { Shortcut = [new Conv2d(8) { Kernel = 1, InChannels = 3 }] }]),
        "layers[0] Conv2d 'res1.shortcut.conv1' declares 3 in-channels but receives 8: 8x4x4");

    [Fact]
    public void ABranchWithoutLayersIsRefused() => AssertErrors(
        Sequential.Create((8, 4, 4), [new ReLU(), new Concat([[new ReLU()], []])]),
        "layers[1] Concat has a branch without layers; give every branch at least one layer");

    [Fact]
    public void ANullLayerInsideABranchIsABug() =>
        Assert.Throws<ArgumentException>(() => Sequential.Create((8, 4, 4), [new Residual([new ReLU(), null!])]));

    [Fact]
    public void TheSumOfTheIdentityShortcutIsTheInputPlusTheBranch()
    {
        // y = relu(x) + x, computed by hand.
        Sequential network = Sequential.Create((1, 1, 4), [new Residual([new ReLU()]), new Flatten(), new Linear(4, 1)])
            .Match(Succ: created => created, Fail: errors => throw new InvalidOperationException(errors.Head.Message));
        float[] weights = new float[network.Layout.ParameterCount];
        weights[0] = 1f; // fc1.weight[0, 0]: the output is y[0]
        float[] output = network.FromParameters(ParameterSet.Create(network.Layout.Parameters, weights)).Predict([-2f, 3f, 0f, 1f], 1);
        Assert.Equal([-2f], output);
        weights[0] = 0f;
        weights[1] = 1f; // y[1] = relu(3) + 3
        Assert.Equal([6f], network.FromParameters(ParameterSet.Create(network.Layout.Parameters, weights)).Predict([-2f, 3f, 0f, 1f], 1));
    }

    private static void AssertErrors(Validation<ConvGenError, Sequential> created, params string[] expected) =>
        Assert.Equal(expected, created.Match(Succ: _ => [], Fail: errors => errors.Select(error => error.Message).ToArray()));
}
