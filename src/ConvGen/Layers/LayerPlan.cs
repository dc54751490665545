using System.Collections.Immutable;
using ConvGen.Shapes;

namespace ConvGen.Layers;

/// <summary>
/// One tensor of a layer before offsets are assigned: key suffix, shape, and how it starts — drawn at random from its
/// fan-in, or at <see cref="Constant"/>. A tensor that is not <see cref="Trainable"/> is a buffer (BatchNorm's running
/// statistics): placed after every learned value of the network, as the generator places it.
/// </summary>
internal sealed record ParameterTensor(
    string Suffix, ImmutableArray<long> Shape, long FanIn, bool IsBias, float? Constant = null, bool Trainable = true, bool IsCount = false)
{
    public long Length => Shape.Aggregate(1L, (product, size) => product * size);
}

/// <summary>A layer of a checked network: its place, name, input and output shapes, and its learned tensors.</summary>
internal sealed record LayerPlan(int Index, string Name, Layer Layer, ActivationShape Input, ActivationShape Output)
{
    /// <summary>The layer's learned tensors, weight first.</summary>
    public ImmutableArray<ParameterTensor> Tensors { get; } = Layer.Tensors(Input);

    /// <summary>Where the layer's tensors sit in the flat parameter vector, in <see cref="Tensors"/> order; set once the whole network fits.</summary>
    public ImmutableArray<ParameterInfo> Parameters { get; init; } = [];

    /// <summary>Where the network's buffers start in the flat parameter vector: its count of learned values.</summary>
    public int BufferStart { get; init; }

    /// <summary>Learned values of this layer, its buffers not counted (as torchinfo counts).</summary>
    public long ParameterCount => Tensors.Where(tensor => tensor.Trainable).Sum(tensor => tensor.Length);

    /// <summary>Whether the layer computes into a buffer of its own; Flatten is a view of its input's.</summary>
    public bool OwnsOutput => Layer is not Flatten;

    /// <summary>A convolution that writes <c>max(0, x)</c> itself, doing the forward pass of the ReLU after it (see <see cref="LayerFusion"/>).</summary>
    public bool AppliesFollowingRelu { get; init; }

    /// <summary>A convolution that writes the sigmoid of its output itself, doing the forward pass of the sigmoid after it.</summary>
    public bool AppliesFollowingSigmoid { get; init; }

    /// <summary>A ReLU or sigmoid whose forward pass the convolution before it did: it has no buffer, and reads the convolution's.</summary>
    public bool AppliedByPrevious { get; init; }

    /// <summary>A max pool that applies the ReLU before it on the way back, as it routes the gradients.</summary>
    public bool AppliesPreviousReluBackward { get; init; }

    /// <summary>An average pool that applies the sigmoid before it on the way back, as it spreads the gradients.</summary>
    public bool AppliesPreviousSigmoidBackward { get; init; }

    /// <summary>A ReLU or sigmoid whose backward pass the pool after it does.</summary>
    public bool BackwardAppliedByNext { get; init; }

    /// <summary>Whether a workspace gives this layer an output buffer: it owns its output and did not leave its work to the layer before.</summary>
    public bool HasBuffer => OwnsOutput && !AppliedByPrevious;
}
