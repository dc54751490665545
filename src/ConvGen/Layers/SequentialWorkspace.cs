using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// The workspace of a <see cref="Sequential"/>: every layer's buffers for up to the batch capacity, and the forward and
/// backward passes as the generated code runs them (one kernel call per layer; backward in reverse, through two
/// ping-pong gradient buffers, stopping at the first layer with parameters). One owner, one thread at a time.
/// </summary>
internal sealed class SequentialWorkspace : NetworkWorkspace
{
    private readonly LayerRunner[] runners;

    // For each layer, and then for the network's output: the layer whose buffer holds its input, -1 for the input.
    private readonly int[] sources;
    private readonly int firstWithParameters;
    private readonly int bufferStart;
    private readonly float[] gradientA;
    private readonly float[] gradientB;

    public SequentialWorkspace(PlannedNetwork plan, IReadOnlyList<Layer> layers, NetworkLayout layout, int batchCapacity, bool forTraining)
        : base(batchCapacity, layout.InputSize, layout.OutputSize, layout.ParameterCount, bufferCount: layout.ParameterCount - layout.TrainableCount, forTraining)
    {
        List<PlannedLayer> plans = plan.Layers;
        runners = [.. plans.Select(layer => layers[layer.Index].CreateRunner(layer, batchCapacity))];
        bufferStart = layout.TrainableCount;
        sources = new int[plans.Count + 1];
        sources[0] = -1;
        for (int i = 0; i < plans.Count; i++)
        {
            sources[i + 1] = plans[i].HasBuffer ? i : sources[i];
        }

        firstWithParameters = plan.FirstLearnedLayer;
        // An inference workspace never runs backward: no room for the gradients.
        gradientA = forTraining ? new float[batchCapacity * plan.LargestActivation] : [];
        gradientB = forTraining ? new float[batchCapacity * plan.LargestActivation] : [];
    }

    protected override void ForwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ulong seed)
    {
        for (int i = 0; i < runners.Length; i++)
        {
            runners[i].Forward(InputOf(i, input), parameters, BufferUpdates, batch, training, seed);
        }

        InputOf(runners.Length, input)[..(batch * OutputSize)].CopyTo(output);
    }

    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int batch, Span<float> parameterGradients)
    {
        if (firstWithParameters < 0)
        {
            // No learned parameters: nothing to back-propagate into.
            return;
        }

        // Buffers are not learned.
        parameterGradients[bufferStart..].Clear();
        outputGradient[..(batch * OutputSize)].CopyTo(gradientA);
        float[] gradient = gradientA, spare = gradientB;
        for (int i = runners.Length - 1; i >= firstWithParameters; i--)
        {
            if (runners[i].Backward(InputOf(i, input), parameters, parameterGradients, gradient, spare, batch, inputGradient: i > firstWithParameters))
            {
                (gradient, spare) = (spare, gradient);
            }
        }
    }

    // The buffer a layer reads: the output of the last layer before it that owns one, or the network's input.
    private ReadOnlySpan<float> InputOf(int layer, ReadOnlySpan<float> input) => sources[layer] < 0 ? input : runners[sources[layer]].Output;
}
