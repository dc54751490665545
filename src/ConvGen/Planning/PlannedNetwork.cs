// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;
using ConvGen.Layers;
using ConvGen.Networks;
using ConvGen.Shapes;

namespace ConvGen.Planning
{
    /// <summary>One tensor placed in the network's flat parameter vector: its <c>state_dict()</c> key and offset, and how it starts.</summary>
    internal sealed class PlannedTensor
    {
        public PlannedTensor(string key, long offset, TensorSpec spec)
        {
            Key = key;
            Offset = offset;
            Spec = spec;
        }

        /// <summary>The <c>state_dict()</c> key, e.g. <c>conv1.weight</c>.</summary>
        public string Key { get; }

        /// <summary>Where its values start in the flat vector.</summary>
        public long Offset { get; }

        /// <summary>Its suffix, shape and initialisation.</summary>
        public TensorSpec Spec { get; }

        public long Length => Spec.Length;
    }

    /// <summary>
    /// One node of a planned network: the layer as declared, its resolved name, the nodes it reads (indices;
    /// <see cref="NetworkInput"/> for the network's input), its shapes, its tensors in the vector, its figures for the
    /// summary, how a convolution runs, and which neighbouring passes it does or leaves to a neighbour.
    /// </summary>
    internal sealed class PlannedLayer
    {
        /// <summary>The index by which a node reads the network's input.</summary>
        public const int NetworkInput = -1;

        public PlannedLayer(int index, LayerSpec spec, string name, int[] inputs, ActivationShape input, ActivationShape output)
        {
            Index = index;
            Spec = spec;
            Name = name;
            Inputs = inputs;
            Input = input;
            Output = output;
        }

        public int Index { get; }

        /// <summary>The layer as declared.</summary>
        public LayerSpec Spec { get; }

        public LayerKind Kind => Spec.Kind;

        public LayerEntry Entry => LayerCatalog.Of(Spec.Kind);

        /// <summary>The name given or the default one, e.g. <c>conv1</c>.</summary>
        public string Name { get; }

        /// <summary>The nodes it reads, by index; <see cref="NetworkInput"/> for the network's input. A chain reads the node before.</summary>
        public int[] Inputs { get; }

        /// <summary>The shape it receives per sample.</summary>
        public ActivationShape Input { get; }

        /// <summary>The shape it gives per sample.</summary>
        public ActivationShape Output { get; }

        /// <summary>Its tensors, weight first, then its buffers.</summary>
        public IReadOnlyList<PlannedTensor> Tensors { get; internal set; } = new PlannedTensor[0];

        /// <summary>Learned values, its buffers not counted (as torchinfo counts).</summary>
        public long ParameterCount { get; internal set; }

        /// <summary>Where the network's buffers start in the vector: its count of learned values.</summary>
        public long BufferStart { get; internal set; }

        /// <summary>Multiply-adds for one sample.</summary>
        public long MultiplyAdds { get; internal set; }

        /// <summary>Input rows and columns one output sees and the input step between neighbouring outputs; null once flat.</summary>
        public FieldAndJump? ReceptiveField { get; internal set; }

        /// <summary>Bytes of its float32 output for one sample; zero for a view.</summary>
        public long ActivationBytes => Entry.IsView ? 0 : Output.Volume * 4;

        /// <summary>A convolution's zeros above and to the left, with <c>"same"</c> and <c>"valid"</c> resolved.</summary>
        public AxisPair PaddingBefore { get; internal set; }

        /// <summary>A convolution's zeros below and to the right.</summary>
        public AxisPair PaddingAfter { get; internal set; }

        /// <summary>Whether a convolution needs the direct-loop kernel: dilation, groups, or more padding after than before.</summary>
        public bool UsesGeneralKernel { get; internal set; }

        /// <summary>The activation after it whose forward pass it does as it writes (into that activation's buffer), if any.</summary>
        public LayerKind? AppliesFollowing { get; internal set; }

        /// <summary>Whether the layer before it does its forward pass: it has no buffer and reads that layer's.</summary>
        public bool AppliedByPrevious { get; internal set; }

        /// <summary>The activation before it whose backward pass it does as it passes gradients back, if any.</summary>
        public LayerKind? AppliesPreviousBackward { get; internal set; }

        /// <summary>Whether the layer after it does its backward pass.</summary>
        public bool BackwardAppliedByNext { get; internal set; }

        /// <summary>Whether the gradient of its output is needed: it or a layer before it has learned values.</summary>
        public bool NeedsGradient { get; internal set; }

        /// <summary>Whether its output gets a buffer: it computes one (not a view) and does not leave its work to the layer before.</summary>
        public bool HasBuffer => !Entry.IsView && !AppliedByPrevious;
    }

    /// <summary>
    /// A network as the planner resolved it — what the generator prints and a <c>Sequential</c> runs: the layers in an
    /// order where every node follows its inputs, the tensors in <c>state_dict()</c> order (learned values, then buffers),
    /// the totals and the summary; or, when <see cref="HasErrors"/>, the diagnostics that say why not.
    /// </summary>
    internal sealed class PlannedNetwork
    {
        public PlannedNetwork(string name, ActivationShape input)
        {
            Name = name;
            Input = input;
        }

        public string Name { get; }

        public ActivationShape Input { get; }

        public List<PlannedLayer> Layers { get; } = new List<PlannedLayer>();

        public List<PlannedTensor> Tensors { get; } = new List<PlannedTensor>();

        public List<PlanDiagnostic> Diagnostics { get; } = new List<PlanDiagnostic>();

        public bool HasErrors => Diagnostics.Exists(diagnostic => diagnostic.IsError);

        public ActivationShape Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Output;

        /// <summary>Values in the flat vector: the learned ones, then the buffers.</summary>
        public long ParameterCount { get; internal set; }

        /// <summary>Learned values, the vector's prefix.</summary>
        public long TrainableCount { get; internal set; }

        public long BufferCount => ParameterCount - TrainableCount;

        /// <summary>The largest per-sample activation, input included, which sizes the gradient buffers.</summary>
        public long LargestActivation { get; internal set; }

        public long MultiplyAdds { get; internal set; }

        /// <summary>Bytes of one sample's input and layer outputs, as float32.</summary>
        public long ActivationBytes { get; internal set; }

        /// <summary>The per-layer summary table.</summary>
        public IReadOnlyList<string> SummaryLines { get; internal set; } = new string[0];

        /// <summary>The index of the first layer with learned values: backward passes stop there; -1 when none has any.</summary>
        public int FirstLearnedLayer => Layers.FindIndex(layer => layer.ParameterCount > 0);
    }
}
