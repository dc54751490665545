using System.Collections.Immutable;

namespace ConvGen.Layers;

/// <summary>One learned tensor of a layer before offsets are assigned: key suffix, shape, fan-in for initialisation.</summary>
internal sealed record ParameterTensor(string Suffix, ImmutableArray<long> Shape, long FanIn, bool IsBias)
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

    /// <summary>Learned values of this layer.</summary>
    public long ParameterCount => Tensors.Sum(tensor => tensor.Length);

    /// <summary>Whether the layer computes into a buffer of its own; Flatten is a view of its input's.</summary>
    public bool OwnsOutput => Layer is not Flatten;
}
