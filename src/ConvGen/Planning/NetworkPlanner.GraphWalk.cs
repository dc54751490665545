// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;
using System.Linq;
using ConvGen.Shapes;

namespace ConvGen.Planning
{
    internal static partial class NetworkPlanner
    {
        /// <summary>
        /// Names, shapes and checks of a declaration as a graph: a layer reads the value before it; a merge walks each of
        /// its blocks from its own input (a block's shape comes from its use) and joins what they give. Nodes are added in
        /// an order where each follows its inputs. A problem inside a block belongs to the top-level declaration that uses
        /// it, and the layer's dotted name (<c>res2.conv1</c>) says where.
        /// </summary>
        private sealed class GraphWalk
        {
            private readonly PlannedNetwork plan;
            private readonly ShapeStep step;
            private readonly ParameterCount count;

            public GraphWalk(PlannedNetwork plan, ShapeStep step, ParameterCount count)
            {
                this.plan = plan;
                this.step = step;
                this.count = count;
            }

            /// <summary>
            /// Walks <paramref name="layers"/> from <paramref name="node"/> (of <paramref name="shape"/>), naming each
            /// <paramref name="prefix"/> + its name; <paramref name="useSite"/> is the top-level declaration using the block,
            /// null at the top. Leaves the last node and its shape; false when a layer got no shape.
            /// </summary>
            public bool Sequence(IReadOnlyList<LayerSpec> layers, string prefix, int? useSite, ref int node, ref ActivationShape shape, List<string> derivation)
            {
                string[] names = Names(plan, layers, useSite);
                for (int i = 0; i < layers.Count; i++)
                {
                    LayerSpec layer = layers[i];
                    int site = useSite ?? i;
                    string name = prefix + names[i];
                    step.Layer = site;
                    step.InBlock = useSite is not null;
                    step.Kind = LayerCatalog.Of(layer.Kind).PyTorchName;
                    step.Name = name;
                    step.Shape = shape;
                    if (layer.IsMerge)
                    {
                        if (!Merge(layer, name, site, ref node, ref shape, derivation))
                        {
                            return false;
                        }

                        continue;
                    }

                    LayerEntry entry = LayerCatalog.Of(layer.Kind);
                    ActivationShape? next = AcceptsInput(step, entry) ? entry.Shape(step, layer) : null;
                    if (next is null || TooLarge(step, next.Value))
                    {
                        return false;
                    }

                    Track(step, entry, site, useSite is not null);
                    node = Add(layer, name, new[] { node }, shape, next.Value, derivation);
                    shape = next.Value;
                }

                return true;
            }

            // Each branch from the merge's input, then the join: a sum of equal shapes, or channels side by side.
            private bool Merge(LayerSpec use, string name, int site, ref int node, ref ActivationShape shape, List<string> derivation)
            {
                var branches = new List<(BlockSpec Block, string Prefix, string Label)>();
                BlockList blocks = use.Blocks ?? new BlockList();
                for (int b = 0; b < blocks.Count; b++)
                {
                    string branch = BranchPrefix(use.Kind, b);
                    branches.Add((blocks[b], name + "." + branch, branch.Length == 0 ? "main" : branch.TrimEnd('.')));
                }

                IReadOnlyList<PlanSite> sizeSources = step.SizeSources, channelSources = step.ChannelSources;
                var ends = new List<(int Node, ActivationShape Shape, string Derivation, string Label)>();
                foreach ((BlockSpec block, string prefix, string label) in branches)
                {
                    int end = node;
                    ActivationShape given = shape;
                    var path = new List<string>(derivation);
                    step.SizeSources = sizeSources;
                    step.ChannelSources = channelSources;
                    step.Derivation = string.Join(" -> ", path);
                    if (!Sequence(block.Layers, prefix, site, ref end, ref given, path))
                    {
                        return false;
                    }

                    // The branch's own steps, from the merge's input: what a mismatch message shows.
                    ends.Add((end, given, string.Join(" -> ", new[] { shape.ToString() }.Concat(path.Skip(derivation.Count))), label));
                }

                if (use.Kind == LayerKind.Residual && ends.Count == 1)
                {
                    ends.Add((node, shape, "identity", "shortcut"));
                }

                step.Layer = site;
                step.InBlock = false;
                step.Kind = LayerCatalog.Of(use.Kind).PyTorchName;
                step.Name = name;
                ActivationShape? joined = use.Kind == LayerKind.Residual ? Sum(name, ends, blocks.Count == 2 ? blocks[1] : null, shape) : Channels(name, ends);
                if (joined is null || TooLarge(step, joined.Value))
                {
                    return false;
                }

                step.SizeSources = new[] { new PlanSite(site, null) };
                step.ChannelSources = step.SizeSources;
                node = Add(use, name, ends.Select(end => end.Node).ToArray(), ends[0].Shape, joined.Value, derivation);
                shape = joined.Value;
                return true;
            }

            // A projection shortcut (a second block) that one argument would fix carries that argument to the code fix.
            private ActivationShape? Sum(string name, List<(int Node, ActivationShape Shape, string Derivation, string Label)> ends, BlockSpec? projection, ActivationShape input)
            {
                var (main, shortcut) = (ends[0], ends[1]);
                if (main.Shape == shortcut.Shape)
                {
                    return main.Shape;
                }

                plan.Diagnostics.Add(
                    new PlanDiagnostic(DiagnosticIds.ResidualShapeMismatch, step.Layer, null, null, new[] { name, main.Shape.ToString(), main.Derivation, shortcut.Shape.ToString(), shortcut.Derivation })
                    {
                        BlockFix = projection is null ? null : ProjectionFix(projection, input, main.Shape, shortcut.Shape),
                    });
                return null;
            }

            // Channels side by side: every branch must give the same kind of value with the same height and width.
            private ActivationShape? Channels(string name, List<(int Node, ActivationShape Shape, string Derivation, string Label)> ends)
            {
                var first = ends[0];
                foreach (var other in ends.Skip(1))
                {
                    bool sameKind = first.Shape.IsFlat == other.Shape.IsFlat && first.Shape.IsSequence == other.Shape.IsSequence;
                    string? differs = !sameKind ? "rank"
                        : first.Shape.Height != other.Shape.Height && first.Shape.Width != other.Shape.Width ? "height and width"
                        : first.Shape.Height != other.Shape.Height ? "height"
                        : first.Shape.Width != other.Shape.Width ? (first.Shape.IsSequence ? "length" : "width")
                        : null;
                    if (differs is not null)
                    {
                        Report(
                            DiagnosticIds.ConcatSizeMismatch, name, differs, first.Label, first.Shape.ToString(), first.Derivation, other.Label, other.Shape.ToString(), other.Derivation);
                        return null;
                    }
                }

                return first.Shape with { Channels = ends.Sum(end => end.Shape.Channels) };
            }

            private void Report(string id, params string[] arguments) => plan.Diagnostics.Add(new PlanDiagnostic(id, step.Layer, null, null, arguments));

            private int Add(LayerSpec layer, string name, int[] inputs, ActivationShape input, ActivationShape output, List<string> derivation)
            {
                var planned = new PlannedLayer(plan.Layers.Count, layer, name, inputs, input, output);
                count.Add(planned);
                plan.Layers.Add(planned);
                derivation.Add(name + " " + output);
                step.Derivation = string.Join(" -> ", derivation);
                return planned.Index;
            }
        }
    }
}
