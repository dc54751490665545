using ConvGen.Training;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// <see cref="Sgd"/> and <see cref="Adam"/> against <c>torch.optim.SGD</c>, <c>Adam</c> and <c>AdamW</c>: the same ten
/// gradients go in, and the parameters after every step must match PyTorch's trajectory.
/// </summary>
public sealed class OptimizerFixtureTests
{
    private const string Family = "optimizers";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Trajectory_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        Optimizer optimizer = Mirror(fixture);
        float[] parameters = fixture.Tensor("initial").Values.ToArray();
        FixtureTensor gradients = fixture.Tensor("gradients"), trajectory = fixture.Tensor("parameters");
        int steps = gradients.Shape[0], count = parameters.Length;
        NumericAssert.ShapeIs(gradients, [steps, count], "gradients");
        NumericAssert.ShapeIs(trajectory, [steps, count], "parameters");

        OptimizerState state = optimizer.CreateState(count);
        for (int step = 0; step < steps; step++)
        {
            optimizer.Update(parameters, gradients.Values.AsSpan(step * count, count), state);
            NumericAssert.Matches(trajectory.Row(step), [count], parameters, $"parameters after step {step + 1}", NumericAssert.OptimizerTolerance);
        }

        Assert.Equal(steps, state.Step);
    }

    // The C# optimizer with the settings torch.optim actually used (the fixture records its defaults too).
    private static Optimizer Mirror(FixtureCase fixture)
    {
        float learningRate = fixture.Float("lr"), weightDecay = fixture.Float("weight_decay");
        switch (fixture.Text("optimizer"))
        {
            case "sgd":
                Assert.Equal(0f, fixture.Float("dampening"));
                return new Sgd(learningRate, fixture.Float("momentum"), weightDecay, fixture.Bool("nesterov"));
            case "adam" or "adamw":
                Assert.False(fixture.Bool("amsgrad"), "ConvGen has no AMSGrad.");
                return new Adam(
                    learningRate, fixture.Float("beta1"), fixture.Float("beta2"), fixture.Float("eps"), weightDecay,
                    DecoupledWeightDecay: fixture.Text("optimizer") == "adamw");
            default:
                throw new InvalidDataException($"Unknown optimizer '{fixture.Text("optimizer")}' in {fixture}.");
        }
    }
}
