using System.Collections.Generic;
using System.Linq;
using System.Text;
using ConvGen.Layers;
using ConvGen.Networks;
using ConvGen.Planning;
using ConvGen.Shapes;

namespace ConvGen.Generators.Model
{
    /// <summary>One tensor of the plan with the name of the constant that holds its offset in the generated code.</summary>
    internal sealed class ParameterPlan
    {
        public ParameterPlan(PlannedTensor tensor, string layerIdentifier)
        {
            Tensor = tensor;
            OffsetName = layerIdentifier + Identifiers.Pascal(tensor.Spec.Suffix) + "Offset";
        }

        public PlannedTensor Tensor { get; }

        public string Key => Tensor.Key;

        public string OffsetName { get; }

        public long Offset => Tensor.Offset;

        public long[] Shape => Tensor.Spec.Shape;

        public long FanIn => Tensor.Spec.FanIn;

        public bool IsBias => Tensor.Spec.IsBias;

        /// <summary>The value every entry starts at (BatchNorm's), or null for PyTorch's random default.</summary>
        public float? Constant => Tensor.Spec.Constant;

        public bool Trainable => Tensor.Spec.Trainable;

        /// <summary>A whole number stored as int64 in checkpoints (<c>num_batches_tracked</c>).</summary>
        public bool IsCount => Tensor.Spec.IsCount;

        public long Length => Tensor.Length;
    }

    /// <summary>One planned layer with the names the emitter gives it: identifiers, and the buffers it reads and writes.</summary>
    internal sealed class LayerPlan
    {
        public LayerPlan(PlannedLayer planned, string[] inputBuffers, string outputBuffer)
        {
            Planned = planned;
            InputBuffers = inputBuffers;
            InputBuffer = inputBuffers[0];
            OutputBuffer = outputBuffer;
            Identifier = Identifiers.Pascal(planned.Name);
            Field = Identifiers.Camel(planned.Name);
            var tensors = planned.Tensors.ToDictionary(tensor => tensor.Spec.Suffix, tensor => new ParameterPlan(tensor, Identifier));
            Weight = tensors.TryGetValue("weight", out ParameterPlan? weight) ? weight : null;
            Bias = tensors.TryGetValue("bias", out ParameterPlan? bias) ? bias : null;
            RunningMean = tensors.TryGetValue("running_mean", out ParameterPlan? mean) ? mean : null;
            RunningVariance = tensors.TryGetValue("running_var", out ParameterPlan? variance) ? variance : null;
            BatchesTracked = tensors.TryGetValue("num_batches_tracked", out ParameterPlan? count) ? count : null;
        }

        public PlannedLayer Planned { get; }

        /// <summary>The layer as declared.</summary>
        public LayerSpec Spec => Planned.Spec;

        public LayerKind Kind => Planned.Kind;

        public string Name => Planned.Name;

        public int Index => Planned.Index;

        public ActivationShape Input => Planned.Input;

        public ActivationShape Output => Planned.Output;

        /// <summary>The buffer holding this layer's (first) input: the output of the node it reads, or <c>input</c>.</summary>
        public string InputBuffer { get; }

        /// <summary>The buffers of every value it reads, in order: a merge reads two or more.</summary>
        public string[] InputBuffers { get; }

        /// <summary>
        /// The buffer holding this layer's output; Flatten is a view of its input's, and a convolution that applies the
        /// following activation writes into that activation's.
        /// </summary>
        public string OutputBuffer { get; }

        /// <summary>Whether the workspace allocates a buffer for this layer's output.</summary>
        public bool OwnsOutput => !Planned.Entry.IsView && Planned.AppliesFollowing is null;

        public string Identifier { get; }

        public string Field { get; }

        public ParameterPlan? Weight { get; }

        public ParameterPlan? Bias { get; }

        /// <summary>BatchNorm2d's buffers: running mean and variance, then the count of training batches.</summary>
        public ParameterPlan? RunningMean { get; }

        public ParameterPlan? RunningVariance { get; }

        public ParameterPlan? BatchesTracked { get; }

        public long ParameterCount => Planned.ParameterCount;

        public AxisPair PaddingBefore => Planned.PaddingBefore;

        public bool UsesGeneralKernel => Planned.UsesGeneralKernel;

        public long MultiplyAdds => Planned.MultiplyAdds;

        public FieldAndJump? ReceptiveField => Planned.ReceptiveField;

        public long ActivationBytes => Planned.ActivationBytes;

        /// <summary>Whether the convolution applies the ReLU that follows it as it writes, straight into that ReLU's buffer.</summary>
        public bool AppliesFollowingRelu => Planned.AppliesFollowing == LayerKind.ReLU;

        /// <summary>Whether the convolution applies the sigmoid that follows it as it writes.</summary>
        public bool AppliesFollowingSigmoid => Planned.AppliesFollowing == LayerKind.Sigmoid;

        /// <summary>Whether the convolution does the forward pass of the activation after it.</summary>
        public bool AppliesFollowingActivation => Planned.AppliesFollowing is not null;
    }

    /// <summary>
    /// The shared plan of a network with the emitter's names: buffers and offset constants. Shapes, tensors, fusions and
    /// the summary all come from <see cref="NetworkPlanner"/>, the planner a run-time <c>Sequential</c> uses too.
    /// </summary>
    internal sealed class NetworkPlan
    {
        public NetworkPlan(NetworkModel model, PlannedNetwork planned)
        {
            Model = model;
            Planned = planned;
            string Buffer(int node) => node == PlannedLayer.NetworkInput ? "input" : Layers[node].OutputBuffer;
            for (int i = 0; i < planned.Layers.Count; i++)
            {
                PlannedLayer layer = planned.Layers[i];
                string[] inputs = layer.Inputs.Select(Buffer).ToArray();
                // A view reads its input's buffer; a layer doing the next activation writes into that activation's.
                string output = layer.Entry.IsView ? inputs[0]
                    : layer.AppliesFollowing is not null ? Identifiers.Camel(planned.Layers[i + 1].Name) + "Output"
                    : Identifiers.Camel(layer.Name) + "Output";
                var plan = new LayerPlan(layer, inputs, output);
                Layers.Add(plan);
                Parameters.AddRange(new[] { plan.Weight, plan.Bias }.Where(parameter => parameter is not null).Select(parameter => parameter!));
            }

            // The vector's order: learned values layer by layer, then the buffers.
            Parameters.AddRange(Layers.SelectMany(layer => new[] { layer.RunningMean, layer.RunningVariance, layer.BatchesTracked }).Where(parameter => parameter is not null).Select(parameter => parameter!));
            Parameters.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        }

        public NetworkModel Model { get; }

        public PlannedNetwork Planned { get; }

        public ActivationShape InputShape => Planned.Input;

        public ActivationShape OutputShape => Planned.Output;

        public long OutputSize => OutputShape.Volume;

        public List<LayerPlan> Layers { get; } = new List<LayerPlan>();

        public List<ParameterPlan> Parameters { get; } = new List<ParameterPlan>();

        /// <summary>Values in the flat vector: the learned ones, then the buffers.</summary>
        public long ParameterCount => Planned.ParameterCount;

        /// <summary>Learned values, the vector's prefix; the summary's "Total parameters", as torchinfo counts.</summary>
        public long TrainableCount => Planned.TrainableCount;

        public long BufferCount => Planned.BufferCount;

        /// <summary>The largest per-sample activation, which sizes the backward pass's gradient buffers.</summary>
        public long LargestActivation => Planned.LargestActivation;

        public IReadOnlyList<string> SummaryLines => Planned.SummaryLines;

        /// <summary>Multiply-adds of one sample's forward pass.</summary>
        public long MultiplyAdds => Planned.MultiplyAdds;
    }

    /// <summary>Layer names to C# identifiers: <c>conv1</c> becomes <c>Conv1</c> and <c>conv1</c>.</summary>
    internal static class Identifiers
    {
        public static string Pascal(string name)
        {
            var builder = new StringBuilder();
            bool upper = true;
            foreach (char c in name)
            {
                if (char.IsLetterOrDigit(c))
                {
                    builder.Append(upper ? char.ToUpperInvariant(c) : c);
                    upper = false;
                }
                else
                {
                    upper = true;
                }
            }

            if (builder.Length == 0 || char.IsDigit(builder[0]))
            {
                builder.Insert(0, "Layer");
            }

            return builder.ToString();
        }

        public static string Camel(string name)
        {
            string pascal = Pascal(name);
            return char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        }
    }
}
