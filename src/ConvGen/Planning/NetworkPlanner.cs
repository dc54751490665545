// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using ConvGen.Layers;
using ConvGen.Networks;
using ConvGen.Shapes;

namespace ConvGen.Planning
{
    /// <summary>A network's declared input: <c>C x H x W</c> planes, or a <c>C x L</c> sequence when <see cref="InputLength"/> is set. Sizes not declared are zero.</summary>
    internal sealed record NetworkInput(int Channels, int Height, int Width, int? InputLength = null)
    {
        public bool IsSequence => InputLength is not null;

        public ActivationShape Shape => InputLength is int length ? ActivationShape.Sequence(Channels, length) : ActivationShape.Planes(Channels, Height, Width);
    }

    /// <summary>
    /// The one planner both front ends share: from a network's input and layer declarations to its names, shapes,
    /// diagnostics, parameter layout, convolution kernels, fusions and summary, through the rules of
    /// <see cref="LayerCatalog"/>. The generator prints the plan; a run-time <c>Sequential</c> runs it. A pure function.
    /// </summary>
    internal static partial class NetworkPlanner
    {
        // Buffers are float[] indexed by int: a layer's batch of activations must stay addressable.
        public const long MaxValuesPerSample = int.MaxValue / 64;

        /// <summary>A number as the messages write it.</summary>
        public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>A real as the messages write it: the shortest text that reads back exactly.</summary>
        public static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        /// <summary>Plans a chain: each layer reads the one before it.</summary>
        public static PlannedNetwork Plan(string name, NetworkInput input, IReadOnlyList<LayerSpec> layers)
        {
            var plan = new PlannedNetwork(name, input.Shape);
            if (Walk(plan, input, layers))
            {
                Place(plan);
            }

            return plan;
        }

        // Names, shapes and checks; true when every layer got a shape.
        private static bool Walk(PlannedNetwork plan, NetworkInput input, IReadOnlyList<LayerSpec> layers)
        {
            var step = new ShapeStep(plan.Diagnostics) { Layer = PlanSite.NetworkLayer, Kind = "Network", Name = plan.Name };
            ActivationShape shape = input.Shape;
            if (input.IsSequence && (input.Height != 0 || input.Width != 0))
            {
                string image = input.Height != 0 && input.Width != 0 ? "InputHeight and InputWidth" : input.Height != 0 ? "InputHeight" : "InputWidth";
                step.Report(DiagnosticIds.InputBothSequenceAndImage, null, null, plan.Name, image);
                return false;
            }

            if (input.Channels < 1 || (input.IsSequence ? input.InputLength < 1 : input.Height < 1 || input.Width < 1))
            {
                string rule = input.IsSequence
                    ? "InputChannels and InputLength must both be set to at least 1"
                    : "InputChannels, InputHeight and InputWidth must all be set to at least 1";
                step.Report(DiagnosticIds.InvalidInputShape, null, null, plan.Name, shape.ToString(), rule);
                return false;
            }

            var derivation = new List<string> { shape.ToString() };
            step.Derivation = shape.ToString();
            if (TooLarge(step, shape))
            {
                return false;
            }

            var network = new[] { new PlanSite(PlanSite.NetworkLayer, null) };
            step.SizeSources = network;
            step.ChannelSources = network;
            var count = new ParameterCount();
            var walk = new GraphWalk(plan, step, count);
            int node = PlannedLayer.NetworkInput;
            if (!walk.Sequence(layers, string.Empty, null, ref node, ref shape, derivation))
            {
                return false;
            }

            CheckMemory(plan, input.Shape, count);
            return !plan.HasErrors;
        }

        /// <summary>Each layer's name: the one given, or PyTorch's style of kind and ordinal (<c>conv1</c>), a single Flatten plain <c>flatten</c>.</summary>
        public static string[] LayerNames(IReadOnlyList<LayerSpec> layers)
        {
            var counters = new Dictionary<string, int>();
            string[] names = new string[layers.Count];
            for (int i = 0; i < layers.Count; i++)
            {
                LayerSpec layer = layers[i];
                if (string.IsNullOrWhiteSpace(layer.Name))
                {
                    string prefix = LayerCatalog.Of(layer.Kind).NamePrefix;
                    counters.TryGetValue(prefix, out int ordinal);
                    counters[prefix] = ++ordinal;
                    // A network usually flattens once; "flatten" reads better than "flatten1" in derivations.
                    names[i] = layer.Kind == LayerKind.Flatten && ordinal == 1 ? prefix : prefix + Text(ordinal);
                }
                else
                {
                    names[i] = layer.Name!;
                }
            }

            return names;
        }

        /// <summary>
        /// Every layer of a declaration with the name the plan gives it, blocks walked (<c>res2.conv1</c>,
        /// <c>res2.shortcut.conv1</c>, <c>cat1.branch2.conv1</c>; a merge itself as <c>res2</c>), and the top-level
        /// declaration it belongs to.
        /// </summary>
        public static IEnumerable<(LayerSpec Spec, string Name, int Site)> AllLayers(IReadOnlyList<LayerSpec> layers)
        {
            string[] names = LayerNames(layers);
            for (int i = 0; i < layers.Count; i++)
            {
                foreach ((LayerSpec spec, string name) in Within(layers[i], names[i]))
                {
                    yield return (spec, name, i);
                }
            }
        }

        // A layer, or a merge's blocks' layers under its name and then the merge itself.
        private static IEnumerable<(LayerSpec Spec, string Name)> Within(LayerSpec layer, string name)
        {
            BlockList blocks = layer.Blocks ?? new BlockList();
            for (int b = 0; b < blocks.Count; b++)
            {
                string prefix = name + "." + BranchPrefix(layer.Kind, b);
                string[] names = LayerNames(blocks[b].Layers);
                for (int i = 0; i < names.Length; i++)
                {
                    foreach (var inner in Within(blocks[b].Layers[i], prefix + names[i]))
                    {
                        yield return inner;
                    }
                }
            }

            yield return (layer, name);
        }

        /// <summary>What a branch's layer names start with inside a merge: nothing for a residual's main branch, <c>shortcut.</c>, <c>branch2.</c>.</summary>
        internal static string BranchPrefix(LayerKind merge, int branch) =>
            merge == LayerKind.Concat ? "branch" + Text(branch + 1) + "." : branch == 0 ? string.Empty : "shortcut.";

        // A name given twice is an error: names become checkpoint keys. Inside a block it belongs to the use.
        private static string[] Names(PlannedNetwork plan, IReadOnlyList<LayerSpec> layers, int? useSite)
        {
            string[] names = LayerNames(layers);
            var seen = new HashSet<string>();
            for (int i = 0; i < names.Length; i++)
            {
                if (!seen.Add(names[i]))
                {
                    plan.Diagnostics.Add(new PlanDiagnostic(DiagnosticIds.DuplicateLayerName, useSite ?? i, useSite is null ? "Name" : null, null, new[] { names[i] }));
                }
            }

            return names;
        }

        // Conv1d takes C x L sequences, the 2-D layers C x H x W planes, Linear flat features.
        private static bool AcceptsInput(ShapeStep step, LayerEntry entry)
        {
            ActivationShape shape = step.Shape;
            switch (entry.Input)
            {
                case InputKind.Flat when !shape.IsFlat:
                    step.Report(DiagnosticIds.LinearWithoutFlatten, null, null, step.Name, shape.ToString(), Text(shape.Volume), step.Derivation);
                    return false;
                case InputKind.Planes when shape.IsFlat:
                    step.Report(DiagnosticIds.SpatialLayerOnFlatInput, null, null, step.Kind, step.Name, shape.ToString(), step.Derivation);
                    return false;
                case InputKind.Planes when shape.IsSequence:
                case InputKind.Sequence when shape.IsFlat || !shape.IsSequence:
                    string received = shape.IsFlat ? shape + " flat features" : shape + (shape.IsSequence ? " (C x L)" : " (C x H x W)");
                    step.Report(
                        DiagnosticIds.SequenceAndImageLayersMixed, null, null, step.Kind, step.Name, entry.Input == InputKind.Sequence ? "C x L" : "C x H x W", received, step.Derivation);
                    return false;
                default:
                    return true;
            }
        }

        // Which sites now decide the size and the channels: secondary locations of a mismatch further on. Inside a block,
        // the use's whole attribute.
        private static void Track(ShapeStep step, LayerEntry entry, int site, bool inBlock)
        {
            if (entry.DecidesSize)
            {
                step.SizeSources = new[] { new PlanSite(site, inBlock ? null : entry.SizeArgument) };
            }
            else if (entry.JoinsSize)
            {
                step.SizeSources = step.SizeSources.Concat(new[] { new PlanSite(site, null) }).ToArray();
            }

            if (entry.ChannelArgument is not null)
            {
                step.ChannelSources = new[] { new PlanSite(site, inBlock ? null : entry.ChannelArgument) };
            }
        }

        // In arbitrary precision: three int-sized factors can overflow a long, and absurd sizes must still get this
        // diagnostic, not a wrapped-around product. Every shape the walk accepts then has a safe Volume.
        private static bool TooLarge(ShapeStep step, ActivationShape candidate)
        {
            BigInteger values = new BigInteger(candidate.Channels) * candidate.Height * candidate.Width;
            if (values <= MaxValuesPerSample)
            {
                return false;
            }

            step.Report(DiagnosticIds.NetworkTooLarge, null, null, step.Kind, step.Name, values.ToString(CultureInfo.InvariantCulture), Text(MaxValuesPerSample), step.Derivation);
            return true;
        }

        private static void CheckMemory(PlannedNetwork plan, ActivationShape input, ParameterCount count)
        {
            const long ParameterBytesLimit = 2L << 30, ActivationBytesLimit = 1L << 30;
            string Big(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
            // The parameter vector is one float[], its offsets ints.
            if (count.Parameters > int.MaxValue)
            {
                Network(DiagnosticIds.TooManyParameters, Big(count.Parameters), Text(int.MaxValue), count.LargestLayer, Big(count.LargestLayerParameters));
            }
            else if (count.Parameters * 4 > ParameterBytesLimit)
            {
                Network(DiagnosticIds.ParametersTooLarge, Big(count.Parameters), Big(count.Parameters * 4), count.LargestLayer, Big(count.LargestLayerParameters));
            }

            // The input and every layer's output (a view excepted), as a forward pass for training keeps them all.
            BigInteger perSample = count.Activations + input.Volume;
            if (perSample * 4 > ActivationBytesLimit)
            {
                Network(DiagnosticIds.ActivationsTooLarge, Big(perSample), Big(perSample * 4));
            }

            void Network(string id, params string[] arguments) =>
                plan.Diagnostics.Add(new PlanDiagnostic(id, PlanSite.NetworkLayer, null, null, new[] { plan.Name }.Concat(arguments).ToArray()));
        }

        // Tensors at their offsets (learned ones layer by layer, then the buffers), convolutions resolved, fusions, figures.
        private static void Place(PlannedNetwork plan)
        {
            var tensors = plan.Layers.Select(layer => layer.Entry.Tensors(layer.Spec, layer.Input)).ToList();
            var placed = plan.Layers.Select(_ => new List<PlannedTensor>()).ToList();
            long offset = 0;
            foreach (bool trainable in new[] { true, false })
            {
                if (!trainable)
                {
                    plan.TrainableCount = offset;
                }

                for (int i = 0; i < plan.Layers.Count; i++)
                {
                    foreach (TensorSpec tensor in tensors[i].Where(tensor => tensor.Trainable == trainable))
                    {
                        var planned = new PlannedTensor(plan.Layers[i].Name + "." + tensor.Suffix, offset, tensor);
                        offset += planned.Length;
                        placed[i].Add(planned);
                        plan.Tensors.Add(planned);
                    }
                }
            }

            plan.ParameterCount = offset;
            FieldAndJump? inputField = new FieldAndJump(1, 1, 1, 1);
            FieldAndJump? FieldOf(int node) => node == PlannedLayer.NetworkInput ? inputField : plan.Layers[node].ReceptiveField;
            plan.LargestActivation = plan.Input.Volume;
            for (int i = 0; i < plan.Layers.Count; i++)
            {
                PlannedLayer layer = plan.Layers[i];
                layer.Tensors = placed[i];
                layer.ParameterCount = tensors[i].Where(tensor => tensor.Trainable).Sum(tensor => tensor.Length);
                layer.BufferStart = plan.TrainableCount;
                layer.MultiplyAdds = layer.Entry.MultiplyAdds(layer.Spec, layer.Input, layer.Output);
                // A merge sees what its widest branch sees.
                FieldAndJump?[] fields = layer.Inputs.Select(FieldOf).ToArray();
                layer.ReceptiveField = layer.Output.IsFlat || fields.Any(field => field is null) ? null
                    : layer.Spec.IsMerge ? fields.Select(field => field!.Value).Aggregate(Widest)
                    : layer.Entry.Widen(fields[0]!.Value, layer.Spec, layer.Input, layer.Output);
                ResolvePadding(layer);
                plan.LargestActivation = System.Math.Max(plan.LargestActivation, layer.Output.Volume);
                // Its output's gradient is needed when it or a layer before it learns.
                layer.NeedsGradient = layer.ParameterCount > 0 || layer.Inputs.Any(input => input != PlannedLayer.NetworkInput && plan.Layers[input].NeedsGradient);
            }

            Fuse(plan);
            plan.MultiplyAdds = plan.Layers.Sum(layer => layer.MultiplyAdds);
            plan.ActivationBytes = plan.Input.Volume * 4 + plan.Layers.Sum(layer => layer.ActivationBytes);
            plan.SummaryLines = SummaryTable.Lines(
                plan.Input.Dimensions,
                plan.Layers.Select(layer => new SummaryRow(
                    layer.Name, layer.Entry.PyTorchName, layer.Output.Dimensions, layer.ParameterCount, layer.MultiplyAdds, layer.ReceptiveField, layer.ActivationBytes)).ToList(),
                plan.BufferCount);
        }

        private static FieldAndJump Widest(FieldAndJump a, FieldAndJump b) => new FieldAndJump(
            System.Math.Max(a.Height, b.Height), System.Math.Max(a.Width, b.Width), System.Math.Max(a.JumpHeight, b.JumpHeight), System.Math.Max(a.JumpWidth, b.JumpWidth));

        // A convolution's padding before and after each axis ("same" resolved as PyTorch, "valid" none), and its kernel.
        private static void ResolvePadding(PlannedLayer layer)
        {
            LayerSpec spec = layer.Spec;
            if (spec.Kind != LayerKind.Conv2d && spec.Kind != LayerKind.Conv1d)
            {
                return;
            }

            (AxisPair before, AxisPair after) = spec.ResolvedPadding();
            layer.PaddingBefore = before;
            layer.PaddingAfter = after;
            layer.UsesGeneralKernel = before != after || spec.Groups != 1 || spec.Dilation.Height != 1 || spec.Dilation.Width != 1;
        }

        // A convolution on the fast kernel followed by a ReLU (or sigmoid) writes max(0, x) (or the sigmoid) itself: one pass
        // over the activations fewer, and nothing reads the plain output. A max pool after a ReLU (an average pool after a
        // sigmoid) applies the activation's backward pass as it routes the gradients: one pass fewer on the way back, when
        // that activation's backward pass runs at all (it comes after the first layer with learned values).
        // Only between neighbours where the second is the first's one reader and reads nothing else: in a graph, a value a
        // shortcut reads too must keep its own buffer and its own backward pass.
        private static void Fuse(PlannedNetwork plan)
        {
            int[] readers = new int[plan.Layers.Count];
            foreach (int input in plan.Layers.SelectMany(layer => layer.Inputs).Where(input => input != PlannedLayer.NetworkInput))
            {
                readers[input]++;
            }

            for (int i = 0; i + 1 < plan.Layers.Count; i++)
            {
                PlannedLayer layer = plan.Layers[i], next = plan.Layers[i + 1];
                if (readers[i] != 1 || next.Inputs.Length != 1 || next.Inputs[0] != i)
                {
                    continue;
                }

                if (!layer.UsesGeneralKernel && layer.Entry.AppliesFollowing.Contains(next.Kind))
                {
                    layer.AppliesFollowing = next.Kind;
                    next.AppliedByPrevious = true;
                }

                if (layer.NeedsGradient && next.Entry.AppliesPreviousBackward == layer.Kind)
                {
                    next.AppliesPreviousBackward = layer.Kind;
                    layer.BackwardAppliedByNext = true;
                }
            }
        }

        /// <summary>Running totals for the memory checks, in arbitrary precision like the size check.</summary>
        private sealed class ParameterCount
        {
            public BigInteger Parameters { get; private set; }

            public BigInteger Activations { get; private set; }

            public string LargestLayer { get; private set; } = string.Empty;

            public BigInteger LargestLayerParameters { get; private set; }

            public void Add(PlannedLayer layer)
            {
                // The largest layer by learned values; the vector also holds the buffers.
                BigInteger learned = 0;
                foreach (TensorSpec tensor in layer.Entry.Tensors(layer.Spec, layer.Input))
                {
                    BigInteger values = tensor.Shape.Aggregate(BigInteger.One, (product, size) => product * size);
                    Parameters += values;
                    learned += tensor.Trainable ? values : 0;
                }

                if (learned > LargestLayerParameters)
                {
                    LargestLayerParameters = learned;
                    LargestLayer = layer.Name;
                }

                if (!layer.Entry.IsView)
                {
                    Activations += layer.Output.Volume;
                }
            }
        }
    }
}
