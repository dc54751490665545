using System.Collections.Immutable;
using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// A residual unit, as <c>[Residual&lt;TBlock&gt;]</c> and <c>[Residual&lt;TBlock, TShortcut&gt;]</c> declare it:
/// <c>y = main(x) + shortcut(x)</c>, the shortcut the identity when <see cref="Shortcut"/> is empty. Both branches must
/// give one shape. In an <see cref="Architecture"/> this value names the addition alone (no layers): the branches'
/// layers are nodes of their own (<c>res1.conv1</c>, <c>res1.shortcut.conv1</c>) and the addition reads their outputs.
/// </summary>
/// <param name="Main">The main branch's layers, in order.</param>
public sealed record Residual(ImmutableArray<Layer> Main) : Layer
{
    /// <summary>The shortcut's layers (a 1x1 strided convolution and a batch norm, say); empty for the identity.</summary>
    public ImmutableArray<Layer> Shortcut { get; init; } = [];

    internal override LayerSpec Spec => new(LayerKind.Residual)
    {
        Name = Name,
        Blocks = Shortcut.IsDefaultOrEmpty ? new BlockList(Block(Main, "main")) : new BlockList(Block(Main, "main"), Block(Shortcut, "shortcut")),
    };

    // The addition alone: its branches are nodes of their own.
    internal override Layer Resolved(PlannedLayer plan) => new Residual(ImmutableArray<Layer>.Empty) { Name = plan.Name };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new MergeRunner(plan, batchCapacity);

    /// <summary>A branch's layers as the planner reads a block.</summary>
    internal static BlockSpec Block(ImmutableArray<Layer> layers, string name) =>
        new(name, layers.IsDefault ? [] : [.. layers.Select(layer => layer.Spec)]);

    /// <inheritdoc/>
    public bool Equals(Residual? other) =>
        other is not null && Name == other.Name && Main.SequenceEqual(other.Main) && Shortcut.SequenceEqual(other.Shortcut);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Main.Length, Shortcut.Length);
}
