using ConvGen.Kernels;
using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// The workspace of a <see cref="Sequential"/>: every layer's buffers for up to the batch capacity, and the forward and
/// backward passes as the generated code runs them: one kernel call per layer, each reading the values its planned node
/// reads (a merge several); backward in reverse through the gradient buffers of the shared
/// <see cref="GradientSchedule"/> (a chain's two ping-pong buffers; a value read twice receives both gradients),
/// stopping where nothing before learns. One owner, one thread at a time.
/// </summary>
internal sealed class SequentialWorkspace : NetworkWorkspace
{
    private readonly PlannedNetwork plan;
    private readonly LayerRunner[] runners;
    private readonly GradientSchedule schedule;
    private readonly int bufferStart;
    private readonly float[][] gradients;

    /// <param name="plan">The planned network.</param>
    /// <param name="nodes">The layer value of each planned node, in the plan's order.</param>
    /// <param name="layout">The network's layout.</param>
    /// <param name="batchCapacity">The most samples one pass takes.</param>
    /// <param name="forTraining">Whether to allocate the gradient buffers.</param>
    public SequentialWorkspace(PlannedNetwork plan, IReadOnlyList<Layer> nodes, NetworkLayout layout, int batchCapacity, bool forTraining)
        : base(batchCapacity, layout.InputSize, layout.OutputSize, layout.ParameterCount, bufferCount: layout.ParameterCount - layout.TrainableCount, forTraining)
    {
        this.plan = plan;
        runners = [.. plan.Layers.Select(layer => nodes[layer.Index].CreateRunner(layer, batchCapacity))];
        bufferStart = layout.TrainableCount;
        schedule = GradientSchedule.For(plan);
        // An inference workspace never runs backward: no room for the gradients.
        gradients = forTraining ? [.. Enumerable.Range(0, schedule.BufferCount).Select(_ => new float[batchCapacity * plan.LargestActivation])] : [];
    }

    protected override void ForwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ulong seed)
    {
        for (int i = 0; i < runners.Length; i++)
        {
            PlannedLayer layer = plan.Layers[i];
            if (runners[i] is not MergeRunner merge)
            {
                runners[i].Forward(ValueOf(layer.Inputs[0], input), parameters, BufferUpdates, batch, training, seed);
            }
            else if (layer.Kind == LayerKind.Residual)
            {
                merge.Sum(ValueOf(layer.Inputs[0], input), ValueOf(layer.Inputs[1], input), batch);
            }
            else
            {
                long offset = 0;
                foreach (int part in layer.Inputs)
                {
                    long size = part == PlannedLayer.NetworkInput ? plan.Input.Volume : plan.Layers[part].Output.Volume;
                    merge.Place(ValueOf(part, input), size, offset, batch);
                    offset += size;
                }
            }
        }

        ValueOf(runners.Length - 1, input)[..(batch * OutputSize)].CopyTo(output);
    }

    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int batch, Span<float> parameterGradients)
    {
        if (schedule.Steps.Count == 0)
        {
            // No learned parameters: nothing to back-propagate into.
            return;
        }

        // Buffers are not learned.
        parameterGradients[bufferStart..].Clear();
        outputGradient[..(batch * OutputSize)].CopyTo(gradients[0]);
        foreach (NodeGradient step in schedule.Steps)
        {
            PlannedLayer layer = plan.Layers[step.Node];
            foreach (GradientMove move in step.Before)
            {
                Move(move, batch);
            }

            if (!layer.Spec.IsMerge)
            {
                Span<float> spare = step.Spare is int apart ? gradients[apart] : default;
                runners[step.Node].Backward(ValueOf(layer.Inputs[0], input), parameters, parameterGradients, gradients[step.Buffer], spare, batch, step.InputGradient);
            }

            foreach (GradientMove move in step.Moves)
            {
                Move(move, batch);
            }
        }
    }

    private void Move(GradientMove move, int batch)
    {
        int values = batch * (int)move.Volume;
        switch (move.Kind)
        {
            case GradientMoveKind.Accumulate:
                Merges.Accumulate(gradients[move.To].AsSpan(0, values), gradients[move.From].AsSpan(0, values));
                break;
            case GradientMoveKind.Copy:
                gradients[move.From].AsSpan(0, values).CopyTo(gradients[move.To]);
                break;
            case GradientMoveKind.Split:
                Merges.ConcatBackward(gradients[move.From], gradients[move.To], batch, (int)move.Volume, (int)move.OutputSize, (int)move.Offset, move.Accumulate);
                break;
        }
    }

    // The buffer holding a node's output: its own, or for a view (Flatten) or an activation its producer applied, its input's.
    private ReadOnlySpan<float> ValueOf(int node, ReadOnlySpan<float> input) =>
        node == PlannedLayer.NetworkInput ? input : runners[node].Output ?? ValueOf(plan.Layers[node].Inputs[0], input);
}
