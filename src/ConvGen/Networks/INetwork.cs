namespace ConvGen;

/// <summary>
/// What the source generator gives every <c>[Network]</c> record: its static layout, PyTorch-style initialisation,
/// a workspace sized from its static shapes, and its parameters as an immutable value.
/// </summary>
/// <typeparam name="TSelf">The network record itself.</typeparam>
public interface INetwork<TSelf> where TSelf : class, INetwork<TSelf>
{
    /// <summary>Shapes, layer summary and parameter layout, all known at compile time.</summary>
    static abstract NetworkLayout Layout { get; }

    /// <summary>The network as a graph of named layer values with their resolved hyperparameters, as exporters and other engines read it.</summary>
    static abstract Architecture Architecture { get; }

    /// <summary>A network with PyTorch's default initialisation, drawn from <paramref name="seed"/>.</summary>
    static abstract TSelf Initialize(int seed);

    /// <summary>A network holding <paramref name="parameters"/>, which must follow <see cref="Layout"/>.</summary>
    static abstract TSelf FromParameters(ParameterSet parameters);

    /// <summary>Buffers for up to <paramref name="batchCapacity"/> samples, reused by every forward and backward pass.</summary>
    static abstract NetworkWorkspace CreateWorkspace(int batchCapacity);

    /// <summary>Buffers for forward passes alone, for up to <paramref name="batchCapacity"/> samples: no gradient buffers, and <c>Backward</c> refuses.</summary>
    static abstract NetworkWorkspace CreateInferenceWorkspace(int batchCapacity);

    /// <summary>All learned values, then the buffers, one immutable flat vector in checkpoint order.</summary>
    ParameterSet Parameters { get; }
}
