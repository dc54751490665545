using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// One layer of a <see cref="Sequential"/> inside one workspace: the buffers it owns for up to the workspace's capacity,
/// and its forward and backward passes, each the kernel call the generated code makes for the same layer, with the same
/// arguments, so that a Sequential computes what the equivalent generated network computes, bit for bit.
/// </summary>
internal abstract class LayerRunner
{
    protected LayerRunner(PlannedLayer plan, int batchCapacity)
    {
        Plan = plan;
        Output = plan.HasBuffer ? new float[batchCapacity * plan.Output.Volume] : null;
    }

    /// <summary>This layer's output for the whole capacity; null for a view of its input (Flatten) or a ReLU done by the convolution before it.</summary>
    public float[]? Output { get; }

    /// <summary>The layer with its shapes and parameter offsets.</summary>
    protected PlannedLayer Plan { get; }

    /// <summary>Computes <see cref="Output"/> from the first <paramref name="batch"/> samples of <paramref name="input"/>.</summary>
    /// <param name="input">The previous layer's output, or the network's input.</param>
    /// <param name="parameters">The whole network's flat parameter vector.</param>
    /// <param name="bufferUpdates">
    /// The workspace's copy of the network's buffers (the vector's tail from <see cref="PlannedLayer.BufferStart"/>), which a
    /// training pass of BatchNorm2d updates in place; the parameters stay read-only.
    /// </param>
    /// <param name="batch">Samples in this pass.</param>
    /// <param name="training">Whether dropout is active and batch norm uses (and updates) the batch's statistics.</param>
    /// <param name="seed">The randomness of this pass.</param>
    public abstract void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed);

    /// <summary>
    /// Back-propagates <paramref name="gradient"/> (<c>dLoss/dOutput</c>): overwrites this layer's slices of
    /// <paramref name="parameterGradients"/>, then either turns <paramref name="gradient"/> into <c>dLoss/dInput</c> in
    /// place and returns false, or writes <c>dLoss/dInput</c> to <paramref name="spare"/> and returns true.
    /// </summary>
    /// <param name="input">The input of the last forward pass.</param>
    /// <param name="parameters">The whole network's flat parameter vector.</param>
    /// <param name="parameterGradients">The whole network's parameter gradients.</param>
    /// <param name="gradient">The gradient of this layer's output, for the whole capacity.</param>
    /// <param name="spare">The other gradient buffer, free to overwrite.</param>
    /// <param name="batch">Samples in this pass.</param>
    /// <param name="inputGradient">False for the first layer with parameters: nobody needs the gradient of its input.</param>
    public abstract bool Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient);

    /// <summary>The first <paramref name="batch"/> samples of an activation shaped as this layer's input.</summary>
    protected ReadOnlySpan<float> InputPrefix(ReadOnlySpan<float> values, int batch) => values[..(batch * (int)Plan.Input.Volume)];

    /// <summary>The first <paramref name="batch"/> samples of an activation shaped as this layer's output.</summary>
    protected Span<float> OutputPrefix(Span<float> values, int batch) => values[..(batch * (int)Plan.Output.Volume)];

    /// <summary>The layer's weight within the network's parameters.</summary>
    protected ReadOnlySpan<float> Weight(ReadOnlySpan<float> parameters) => Tensor(parameters, 0);

    /// <summary>The layer's bias within the network's parameters; empty without one.</summary>
    protected ReadOnlySpan<float> Bias(ReadOnlySpan<float> parameters) => Tensor(parameters, 1);

    /// <summary>The layer's weight gradient within the network's parameter gradients.</summary>
    protected Span<float> WeightGradient(Span<float> gradients) => Tensor(gradients, 0);

    /// <summary>The layer's bias gradient within the network's parameter gradients; empty without a bias.</summary>
    protected Span<float> BiasGradient(Span<float> gradients) => Tensor(gradients, 1);

    /// <summary>The layer's tensor at <paramref name="index"/> (weight, bias, then buffers) within the network's vector.</summary>
    protected ReadOnlySpan<float> Tensor(ReadOnlySpan<float> values, int index) =>
        index < Plan.Tensors.Count ? values.Slice((int)Plan.Tensors[index].Offset, (int)Plan.Tensors[index].Length) : default;

    /// <summary>The same tensor in a writable vector: the gradients, or the buffers' updates when offset by <paramref name="start"/>.</summary>
    protected Span<float> Tensor(Span<float> values, int index, long start = 0) =>
        index < Plan.Tensors.Count ? values.Slice((int)(Plan.Tensors[index].Offset - start), (int)Plan.Tensors[index].Length) : default;
}
