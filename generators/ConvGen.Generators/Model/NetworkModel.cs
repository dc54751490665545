using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Planning;

namespace ConvGen.Generators.Model
{
    /// <summary>Where one attribute argument was written, by parameter or property name.</summary>
    internal sealed record ArgumentSite(string Name, LocationInfo Location);

    /// <summary>
    /// A network declaration as the planner reads it: the record to extend, its input and its layers in order, as plain
    /// values with no location, so that an edit elsewhere in the file leaves it equal and the generated source cached.
    /// </summary>
    /// <remarks>
    /// <see cref="Namespace"/> and <see cref="TypeName"/> are names, not C# text (no <c>@</c>); <see cref="HintName"/> is the
    /// generated file's name, unique in the compilation (empty: <c>{Namespace}.{TypeName}.g.cs</c>).
    /// </remarks>
    internal sealed record NetworkModel(string Namespace, string TypeName, NetworkInput Input, EquatableArray<LayerSpec> Layers, string HintName = "");

    /// <summary>Where one layer attribute and each of its arguments were written: what diagnostics point at.</summary>
    internal sealed record LayerSource(LocationInfo? Location, EquatableArray<ArgumentSite> Arguments)
    {
        /// <summary>The location of the first of the arguments written, or of the whole attribute.</summary>
        public LocationInfo? LocationOf(string? first, string? second)
        {
            foreach (string? name in new[] { first, second })
            {
                foreach (ArgumentSite site in Arguments)
                {
                    if (name is not null && site.Name == name)
                    {
                        return site.Location;
                    }
                }
            }

            return Location;
        }

        /// <summary>Whether the argument was written.</summary>
        public bool Declares(string argument)
        {
            foreach (ArgumentSite site in Arguments)
            {
                if (site.Name == argument)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Where a block's layers were written, by the block record's name: what a code fix inside the block edits.</summary>
    internal sealed record BlockSource(string TypeName, EquatableArray<LayerSource> Layers);

    /// <summary>Where a network declaration, its layers and the blocks they use were written, beside its <see cref="NetworkModel"/>.</summary>
    internal sealed record NetworkSource(LocationInfo? NetworkLocation, EquatableArray<LayerSource> Layers, EquatableArray<BlockSource> Blocks)
    {
        /// <summary>
        /// Where a block's argument is (the whole layer attribute when it was not written), or null when the block's name
        /// does not say which declaration it is (two blocks of one name) or the layer is not there.
        /// </summary>
        public LocationInfo? Locate(BlockSite site)
        {
            BlockSource[] named = Blocks.Where(block => block.TypeName == site.Block).Distinct().ToArray();
            if (named.Length != 1 || site.Layer >= named[0].Layers.Count)
            {
                return null;
            }

            // Stride = s beside a written StrideHeight or StrideWidth would not say which one wins.
            LayerSource layer = named[0].Layers[site.Layer];
            return layer.Declares(site.Argument + "Height") || layer.Declares(site.Argument + "Width") ? null : layer.LocationOf(site.Argument, null);
        }

        /// <summary>Where a planner site is: the network attribute, or a layer's argument (else the fallback, else the attribute).</summary>
        public LocationInfo? Locate(int layer, string? argument, string? fallback) =>
            layer == PlanSite.NetworkLayer || layer >= Layers.Count ? NetworkLocation : Layers[layer].LocationOf(argument, fallback);
    }
}
