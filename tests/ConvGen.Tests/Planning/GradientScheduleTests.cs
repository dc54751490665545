using ConvGen.Planning;
using ConvGen.Tests.Composition;

namespace ConvGen.Tests.Planning;

/// <summary>
/// The backward pass's buffer bookkeeping (<see cref="GradientSchedule"/>): a gradient that several values read is
/// handed to all of them in one buffer and copied only before one of them changes it. Whether the values come out
/// right is for the finite differences and PyTorch fixtures; here, that no work is done twice and none is skipped.
/// </summary>
public sealed class GradientScheduleTests
{
    [Fact]
    public void ResidualUnitsWhoseBranchesOnlyReadTheGradientCopyNothing()
    {
        PlannedNetwork plan = EquivalentNetworks.Residual.Plan;
        string[] moves = Moves(plan);

        // Both units' branches begin (backwards) with a batch norm, which writes its input's gradient apart, so no
        // buffer is copied: each value read twice receives its second gradient by one addition (each unit's input,
        // read by its branch and its shortcut, and the value both concatenated branches read).
        Assert.DoesNotContain(moves, move => move.Contains("Copy"));
        Assert.Equal(3, moves.Count(move => move.Contains("Accumulate")));
    }

    [Fact]
    public void ABranchThatChangesASharedGradientInPlaceWorksOnACopy()
    {
        PlannedNetwork plan = EquivalentNetworks.SharedGradient.Plan;
        GradientSchedule schedule = GradientSchedule.For(plan);

        // A tanh that ends a residual branch changes in place the gradient the shortcut holds too, so copies it first:
        // res1's and the concatenated unit's. The nested unit's (res2.res1.tanh1) finds its gradient already copied
        // for the shortcut by the sum that handed it over (next test), and works in place. No other step copies.
        string[] copiedFirst = [.. schedule.Steps.Where(step => step.Before.Count > 0).Select(step => plan.Layers[step.Node].Name)];
        Assert.Equal(["cat1.branch2.res1.tanh1", "res1.tanh1"], copiedFirst.Order());
        Assert.Empty(schedule.Steps.Single(step => plan.Layers[step.Node].Name == "res2.res1.tanh1").Before);
        Assert.All(schedule.Steps.SelectMany(step => step.Before), move => Assert.Equal(GradientMoveKind.Copy, move.Kind));
    }

    [Fact]
    public void ANestedUnitAddsItsShortcutsGradientToACopyOfTheOuterOnes()
    {
        PlannedNetwork plan = EquivalentNetworks.SharedGradient.Plan;
        GradientSchedule schedule = GradientSchedule.For(plan);

        // res2's branch is res2.res1 alone: both sums hand their (equal) gradient G to the same value. The inner sum
        // finds that value holding G in the buffer it reads itself, so the value gets a copy of G plus G.
        PlannedLayer outer = plan.Layers.Single(l => l.Name == "res2"), inner = plan.Layers[outer.Inputs[0]];
        Assert.Equal(LayerKind.Residual, inner.Kind);
        Assert.Equal(outer.Inputs[1], inner.Inputs[1]);
        NodeGradient innerStep = schedule.Steps.Single(step => step.Node == inner.Index);
        Assert.Equal(
            [(GradientMoveKind.Copy, outer.Inputs[1]), (GradientMoveKind.Accumulate, outer.Inputs[1])],
            innerStep.Moves.Select(move => (move.Kind, move.Value)));
        Assert.Equal(innerStep.Buffer, innerStep.Moves[1].From);
        Assert.Equal(innerStep.Moves[0].To, innerStep.Moves[1].To);
        Assert.NotEqual(innerStep.Buffer, innerStep.Moves[1].To);
    }

    [Theory]
    [InlineData(nameof(ResidualNet))]
    [InlineData(nameof(SmoothResidualNet))]
    [InlineData(nameof(SharedGradientNet))]
    public void EveryStepFindsItsOutputsWholeGradientInTheBufferItReads(string network)
    {
        PlannedNetwork plan = network switch
        {
            nameof(ResidualNet) => EquivalentNetworks.Residual.Plan,
            nameof(SmoothResidualNet) => EquivalentNetworks.SmoothResidual.Plan,
            _ => EquivalentNetworks.SharedGradient.Plan,
        };
        GradientSchedule schedule = GradientSchedule.For(plan);

        // The schedule replayed over symbolic buffers: each holds a bag of terms, a term being one reader's
        // gradient for one value (a sum passes its own gradient on, so its terms stand for it). A copy left out
        // (an in-place pass over a buffer another value still holds) or a term added twice shows as a bag that
        // differs from the one the graph says the step must read.
        var contents = new Dictionary<int, List<string>> { [schedule.Steps[0].Buffer] = ["loss"] };
        foreach (NodeGradient step in schedule.Steps)
        {
            PlannedLayer layer = plan.Layers[step.Node];
            step.Before.ForEach(move => Apply(contents, move, plan));
            Assert.Equal(Whole(plan, step.Node).Order(), contents[step.Buffer].Order());
            if (!layer.Spec.IsMerge)
            {
                contents[step.Spare ?? step.Buffer] = [$"{layer.Name}>{InputName(plan, layer.Inputs[0])}"];
            }

            step.Moves.ForEach(move => Apply(contents, move, plan));
        }
    }

    // What a value's gradient is made of: one term per reader, or for a sum that reads it, the sum's own terms.
    private static List<string> Whole(PlannedNetwork plan, int node)
    {
        if (node == plan.Layers.Count - 1)
        {
            return ["loss"];
        }

        var terms = new List<string>();
        foreach (PlannedLayer reader in plan.Layers)
        {
            foreach (int input in reader.Inputs.Where(input => input == node))
            {
                terms.AddRange(reader.Kind == LayerKind.Residual ? Whole(plan, reader.Index) : [$"{reader.Name}>{InputName(plan, input)}"]);
            }
        }

        return terms;
    }

    private static void Apply(Dictionary<int, List<string>> contents, GradientMove move, PlannedNetwork plan)
    {
        switch (move.Kind)
        {
            case GradientMoveKind.Copy:
                contents[move.To] = [.. contents[move.From]];
                break;
            case GradientMoveKind.Accumulate:
                contents[move.To] = [.. contents[move.To], .. contents[move.From]];
                break;
            case GradientMoveKind.Split:
                // The split's own term: which concatenation, by the layer whose gradient reads it.
                string term = $"{plan.Layers.Single(l => l.Kind == LayerKind.Concat && l.Inputs.Contains(move.Value)).Name}>{InputName(plan, move.Value)}";
                contents[move.To] = move.Accumulate ? [.. contents[move.To], term] : [term];
                break;
        }
    }

    private static string InputName(PlannedNetwork plan, int node) => node == PlannedLayer.NetworkInput ? "input" : plan.Layers[node].Name;

    private static string[] Moves(PlannedNetwork plan) =>
        [.. GradientSchedule.For(plan).Steps.SelectMany(step => step.Before.Concat(step.Moves)).Select(move => $"{move.Kind} {move.From}->{move.To} ({move.Value})")];
}
