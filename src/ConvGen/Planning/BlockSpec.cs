// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvGen.Planning
{
    /// <summary>
    /// A block as a use reads it: the record's name (for messages) and its layers in order, which may use blocks in turn.
    /// Compares by value, layer by layer, so a generator model holding it stays equal when the block is unchanged.
    /// </summary>
    internal sealed class BlockSpec : IEquatable<BlockSpec>
    {
        public BlockSpec(string typeName, IReadOnlyList<LayerSpec> layers)
        {
            TypeName = typeName;
            Layers = layers;
        }

        /// <summary>The block record's name, e.g. <c>Basic16</c>.</summary>
        public string TypeName { get; }

        public IReadOnlyList<LayerSpec> Layers { get; }

        public bool Equals(BlockSpec? other) => other is not null && TypeName == other.TypeName && Layers.SequenceEqual(other.Layers);

        public override bool Equals(object? obj) => Equals(obj as BlockSpec);

        public override int GetHashCode() => Layers.Aggregate(TypeName.GetHashCode(), (hash, layer) => (hash * 31) + layer.GetHashCode());
    }

    /// <summary>The blocks a merge uses, in order, compared by value: a residual's main branch then its shortcut, a concatenation's branches.</summary>
    internal sealed class BlockList : IEquatable<BlockList>
    {
        public BlockList(params BlockSpec[] blocks)
        {
            Items = blocks;
        }

        public IReadOnlyList<BlockSpec> Items { get; }

        public int Count => Items.Count;

        public BlockSpec this[int index] => Items[index];

        public bool Equals(BlockList? other) => other is not null && Items.SequenceEqual(other.Items);

        public override bool Equals(object? obj) => Equals(obj as BlockList);

        public override int GetHashCode() => Items.Aggregate(17, (hash, block) => (hash * 31) + block.GetHashCode());
    }
}
