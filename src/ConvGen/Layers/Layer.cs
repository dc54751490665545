using System.Collections.Immutable;
using ConvGen.Shapes;

namespace ConvGen.Layers;

/// <summary>
/// One layer of a network built at run time, as an immutable value holding hyperparameters only: its parameters live
/// apart, in the network's <see cref="ParameterSet"/>, as in Equinox. A <see cref="Sequential"/> checks a list of
/// layers with the generator's shape rules and runs them through the kernels the generated code calls.
/// </summary>
public abstract record Layer
{
    // Only the layers of this assembly: each needs a shape rule, parameters and kernels the engine knows.
    private protected Layer()
    {
    }

    /// <summary>The layer's name in summaries, messages and checkpoint keys; default: kind and ordinal, e.g. <c>conv2</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The PyTorch class the layer mirrors, e.g. <c>Conv2d</c>; it names the layer in messages and summaries.</summary>
    public virtual string Kind => GetType().Name;

    /// <summary>The stem of default names: <c>conv</c> gives <c>conv1</c>, <c>conv2</c>, ...</summary>
    internal abstract string NamePrefix { get; }

    /// <summary>The output shape for <see cref="ShapeWalk.Shape"/>, or null after reporting why there is none.</summary>
    internal abstract ActivationShape? Infer(ShapeWalk walk);

    /// <summary>The learned tensors for an input of <paramref name="input"/>, weight first, in <c>state_dict()</c> order.</summary>
    internal virtual ImmutableArray<ParameterTensor> Tensors(ActivationShape input) => [];

    /// <summary>Multiply-adds for one sample, as torchinfo counts them: convolutions and linear layers only.</summary>
    internal virtual long MultiplyAdds(LayerPlan plan) => 0;

    /// <summary>The receptive field after this layer, given the one before it (planes only).</summary>
    internal virtual ReceptiveField Widen(ReceptiveField field, LayerPlan plan) => field;

    /// <summary>
    /// This layer as an <see cref="Architecture"/> describes it: named, with what the shape walk inferred filled in
    /// (in-channels, features, the stride in force), so that two networks with the same layers describe themselves alike.
    /// </summary>
    internal virtual Layer Resolved(LayerPlan plan) => this with { Name = plan.Name };

    /// <summary>The layer's passes with buffers for up to <paramref name="batchCapacity"/> samples.</summary>
    /// <param name="plan">The layer with its shapes and parameter offsets.</param>
    /// <param name="batchCapacity">The most samples one pass takes.</param>
    internal abstract LayerRunner CreateRunner(LayerPlan plan, int batchCapacity);

    /// <summary>A receptive field through a window of the given (dilated) size moved by the given stride: wider by (k-1) jumps, the jump times the stride.</summary>
    private protected static ReceptiveField Through(ReceptiveField field, long kernelHeight, long kernelWidth, long strideHeight, long strideWidth) => new(
        field.Height + (kernelHeight - 1) * field.JumpHeight,
        field.Width + (kernelWidth - 1) * field.JumpWidth,
        field.JumpHeight * strideHeight,
        field.JumpWidth * strideWidth);
}
