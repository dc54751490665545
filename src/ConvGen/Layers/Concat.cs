using System.Collections.Immutable;
using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// Parallel branches on one input joined along the channels, as <c>torch.cat(dim=1)</c> and the <c>[Concat&lt;A, B&gt;]</c>
/// attribute: every branch must give the same height and width. In an <see cref="Architecture"/> this value names the
/// join alone (no layers): the branches' layers are nodes of their own (<c>cat1.branch1.conv1</c>).
/// </summary>
/// <param name="Branches">Each branch's layers, in order; the first branch's channels come first.</param>
public sealed record Concat(ImmutableArray<ImmutableArray<Layer>> Branches) : Layer
{
    internal override LayerSpec Spec => new(LayerKind.Concat)
    {
        Name = Name,
        Blocks = new BlockList([.. (Branches.IsDefault ? [] : Branches).Select((branch, i) => Residual.Block(branch, "branch" + (i + 1)))]),
    };

    // The join alone: its branches are nodes of their own.
    internal override Layer Resolved(PlannedLayer plan) => new Concat(ImmutableArray<ImmutableArray<Layer>>.Empty) { Name = plan.Name };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new MergeRunner(plan, batchCapacity);

    /// <inheritdoc/>
    public bool Equals(Concat? other) =>
        other is not null && Name == other.Name && Branches.Length == other.Branches.Length
        && Branches.Select((branch, i) => branch.SequenceEqual(other.Branches[i])).All(same => same);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Branches.Length);
}
