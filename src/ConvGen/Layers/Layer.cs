using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// One layer of a network built at run time, as an immutable value holding hyperparameters only: its parameters live
/// apart, in the network's <see cref="ParameterSet"/>, as in Equinox. A <see cref="Sequential"/> plans a list of layers
/// with the generator's own planner and layer catalogue, and runs them through the kernels the generated code calls.
/// </summary>
public abstract record Layer
{
    // Only the layers of this assembly: each needs a catalogue entry and kernels the engine knows.
    private protected Layer()
    {
    }

    /// <summary>The layer's name in summaries, messages and checkpoint keys; default: kind and ordinal, e.g. <c>conv2</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The PyTorch class the layer mirrors, e.g. <c>Conv2d</c>; it names the layer in messages and summaries.</summary>
    public string Kind => LayerCatalog.Of(Spec.Kind).PyTorchName;

    /// <summary>The layer as the planner reads it, the same declaration a <c>[Network]</c> attribute gives the generator.</summary>
    internal abstract LayerSpec Spec { get; }

    /// <summary>
    /// This layer as an <see cref="Architecture"/> describes it: named, with what the planner inferred filled in
    /// (in-channels, features, the stride in force), so that two networks with the same layers describe themselves alike.
    /// </summary>
    internal virtual Layer Resolved(PlannedLayer plan) => this with { Name = plan.Name };

    /// <summary>The layer's passes with buffers for up to <paramref name="batchCapacity"/> samples.</summary>
    /// <param name="plan">The layer with its shapes, tensors and fusions.</param>
    /// <param name="batchCapacity">The most samples one pass takes.</param>
    internal abstract LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity);
}
