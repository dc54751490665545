// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;
using System.Linq;
using ConvGen.Shapes;

namespace ConvGen.Planning
{
    internal static partial class NetworkPlanner
    {
        // A stride beyond this is no projection anyone means; the search stops there.
        private const int MaxProjectionStride = 64;

        /// <summary>
        /// The one-argument edit of a residual's projection shortcut that makes it give the main branch's shape, or null
        /// when none does: the Conv2d that last changes the channels (else the last Conv2d) gets the main branch's
        /// out-channels when only channels differ, or the smallest single stride that gives its height and width when only
        /// those differ. Every candidate is planned again from the unit's input, and kept only when the shortcut then gives
        /// exactly <paramref name="main"/> with no more diagnostics than it had: the fix is computed, never guessed.
        /// </summary>
        private static BlockSite? ProjectionFix(BlockSpec shortcut, ActivationShape input, ActivationShape main, ActivationShape given)
        {
            bool channelsDiffer = main.Channels != given.Channels;
            bool sizeDiffers = main.Height != given.Height || main.Width != given.Width;
            if (channelsDiffer == sizeDiffers || main.IsFlat || main.IsSequence || given.IsFlat || given.IsSequence
                || main.Channels > int.MaxValue || ReplanShortcut(shortcut.Layers, input) is not { } original)
            {
                return null;
            }

            int? target = ProjectionConvolution(shortcut.Layers, input);
            if (target is not int index)
            {
                return null;
            }

            LayerSpec conv = shortcut.Layers[index];
            if (channelsDiffer)
            {
                return Matches(shortcut.Layers, index, conv with { OutChannels = (int)main.Channels }, input, main, original.Diagnostics)
                    ? new BlockSite(shortcut.TypeName, index, "OutChannels", Text(main.Channels))
                    : (BlockSite?)null;
            }

            for (int stride = 1; stride <= MaxProjectionStride; stride++)
            {
                if (conv.Stride != stride && Matches(shortcut.Layers, index, conv with { Stride = stride }, input, main, original.Diagnostics))
                {
                    return new BlockSite(shortcut.TypeName, index, "Stride", Text(stride));
                }
            }

            return null;
        }

        // The block's top-level Conv2d that last changes the channels; else, when none does, its last Conv2d.
        private static int? ProjectionConvolution(IReadOnlyList<LayerSpec> layers, ActivationShape input)
        {
            ActivationShape before = input;
            int? lastChange = null;
            for (int i = 0; i < layers.Count; i++)
            {
                if (ReplanShortcut(layers.Take(i + 1).ToArray(), input) is not { } after)
                {
                    return null;
                }

                if (after.Shape.Channels != before.Channels)
                {
                    lastChange = i;
                }

                before = after.Shape;
            }

            int? lastConvolution = Enumerable.Range(0, layers.Count).Where(i => layers[i].Kind == LayerKind.Conv2d).Select(i => (int?)i).LastOrDefault();
            int? target = lastChange ?? lastConvolution;
            return target is int index && layers[index].Kind == LayerKind.Conv2d ? target : null;
        }

        private static bool Matches(IReadOnlyList<LayerSpec> layers, int index, LayerSpec edited, ActivationShape input, ActivationShape main, int diagnostics)
        {
            LayerSpec[] candidate = layers.ToArray();
            candidate[index] = edited;
            return ReplanShortcut(candidate, input) is { } result && result.Shape == main && result.Diagnostics <= diagnostics;
        }

        // The layers planned alone from the unit's input: their shape and how many diagnostics they draw, or null on an error.
        private static (ActivationShape Shape, int Diagnostics)? ReplanShortcut(IReadOnlyList<LayerSpec> layers, ActivationShape input)
        {
            var scratch = new PlannedNetwork("shortcut", input);
            var step = new ShapeStep(scratch.Diagnostics) { Layer = PlanSite.NetworkLayer, Kind = "Network", Name = scratch.Name };
            var walk = new GraphWalk(scratch, step, new ParameterCount());
            int node = PlannedLayer.NetworkInput;
            ActivationShape shape = input;
            bool planned = walk.Sequence(layers, string.Empty, null, ref node, ref shape, new List<string> { input.ToString() });
            return planned && !scratch.HasErrors ? (shape, scratch.Diagnostics.Count) : ((ActivationShape, int)?)null;
        }
    }
}
