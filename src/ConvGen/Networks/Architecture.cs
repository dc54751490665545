using System.Collections.Immutable;
using System.Text;
using ConvGen.Layers;

namespace ConvGen;

/// <summary>
/// What a network is, as an immutable value: a graph of layer values with their names and resolved hyperparameters
/// (in-channels, features and strides filled in), each node reading named inputs. Every network describes itself so:
/// a generated record through its static <c>Architecture</c>, a <see cref="Sequential"/> through
/// <see cref="Sequential.Architecture"/>, and the two agree for the same layers. Exporters and other engines read this
/// and the network's <see cref="ParameterSet"/>, nothing else. Compares by value.
/// </summary>
/// <param name="Name">The network's name, e.g. <c>DigitsNet</c>.</param>
/// <param name="InputShape">One input sample: <c>[C, H, W]</c>, or <c>[C, L]</c> for a sequence.</param>
/// <param name="Nodes">The layers in an order where every node comes after its inputs; the last is the output.</param>
public sealed record Architecture(string Name, ImmutableArray<int> InputShape, ImmutableArray<ArchitectureNode> Nodes)
{
    /// <summary>The name by which the first node reads the network's input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the value the network returns: its last node's, or <see cref="InputName"/> with no layers.</summary>
    public string OutputName => Nodes.IsEmpty ? InputName : Nodes[^1].Name;

    /// <summary>The node named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No node has that name.</exception>
    public ArchitectureNode this[string name] =>
        Nodes.FirstOrDefault(node => node.Name == name) ?? throw new KeyNotFoundException($"{Name} has no layer named '{name}'.");

    /// <inheritdoc/>
    public bool Equals(Architecture? other) =>
        other is not null && Name == other.Name && InputShape.SequenceEqual(other.InputShape) && Nodes.SequenceEqual(other.Nodes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Nodes.Length, Nodes.IsEmpty ? 0 : Nodes[^1].GetHashCode());

    /// <summary>One line per node: <c>conv1 &lt;- input: 1x8x8 -> 16x8x8 Conv2d { Name = conv1, ... }</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{Name}: input {string.Join("x", InputShape)}");
        foreach (ArchitectureNode node in Nodes)
        {
            text.Append('\n').Append(node);
        }

        return text.ToString();
    }
}

/// <summary>One node of an <see cref="Architecture"/>: a named layer value, the values it reads, and its shapes per sample.</summary>
/// <param name="Name">The layer's name, the stem of its <c>state_dict()</c> keys (<c>conv1</c> gives <c>conv1.weight</c>).</param>
/// <param name="Layer">The layer with its resolved hyperparameters; its <see cref="Layer.Name"/> is <paramref name="Name"/>.</param>
/// <param name="Inputs">The names of the values it reads: <see cref="Architecture.InputName"/> or earlier nodes.</param>
/// <param name="InputShape">The shape it receives per sample (of its first input).</param>
/// <param name="OutputShape">The shape it gives per sample.</param>
public sealed record ArchitectureNode(
    string Name, Layer Layer, ImmutableArray<string> Inputs, ImmutableArray<int> InputShape, ImmutableArray<int> OutputShape)
{
    /// <inheritdoc/>
    public bool Equals(ArchitectureNode? other) =>
        other is not null && Name == other.Name && Layer == other.Layer && Inputs.SequenceEqual(other.Inputs)
        && InputShape.SequenceEqual(other.InputShape) && OutputShape.SequenceEqual(other.OutputShape);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Layer, OutputShape.Length);

    /// <summary><c>conv1 &lt;- input: 1x8x8 -> 16x8x8 Conv2d { Name = conv1, ... }</c>: what it reads, its shapes, its layer.</summary>
    public override string ToString() =>
        $"{Name} <- {string.Join(", ", Inputs)}: {string.Join("x", InputShape)} -> {string.Join("x", OutputShape)} {Layer}";
}
