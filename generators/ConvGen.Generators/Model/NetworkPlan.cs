using System.Collections.Generic;
using System.Linq;
using System.Text;
using ConvGen.Networks;
using ConvGen.Shapes;

namespace ConvGen.Generators.Model
{
    /// <summary>
    /// One tensor as the emitter lays it out in the flat parameter vector: learned (initialised at random from its
    /// fan-in, or to <see cref="Constant"/>) or, when not <see cref="Trainable"/>, a buffer after every learned value.
    /// </summary>
    internal sealed class ParameterPlan
    {
        public ParameterPlan(string key, string offsetName, long offset, long[] shape, long fanIn, bool isBias, float? constant = null, bool trainable = true, bool isCount = false)
        {
            Key = key;
            OffsetName = offsetName;
            Offset = offset;
            Shape = shape;
            FanIn = fanIn;
            IsBias = isBias;
            Constant = constant;
            Trainable = trainable;
            IsCount = isCount;
        }

        public string Key { get; }

        public string OffsetName { get; }

        public long Offset { get; }

        public long[] Shape { get; }

        public long FanIn { get; }

        public bool IsBias { get; }

        /// <summary>The value every entry starts at (BatchNorm's), or null for PyTorch's random default.</summary>
        public float? Constant { get; }

        public bool Trainable { get; }

        /// <summary>A whole number stored as int64 in checkpoints (<c>num_batches_tracked</c>).</summary>
        public bool IsCount { get; }

        public long Length => Shape.Aggregate(1L, (product, size) => product * size);
    }

    /// <summary>One layer with its shapes, buffers and parameters resolved for emission.</summary>
    internal sealed class LayerPlan
    {
        public LayerPlan(int index, LayerModel model, ActivationShape input, ActivationShape output, string inputBuffer)
        {
            Index = index;
            Model = model;
            Input = input;
            Output = output;
            InputBuffer = inputBuffer;
            Identifier = Identifiers.Pascal(model.Name);
            Field = Identifiers.Camel(model.Name);
            OwnsOutput = model.Kind != LayerKind.Flatten;
            OutputBuffer = OwnsOutput ? Field + "Output" : inputBuffer;
        }

        /// <summary>Whether the convolution applies the ReLU that follows it as it writes, straight into that ReLU's buffer.</summary>
        public bool AppliesFollowingRelu { get; private set; }

        /// <summary>Whether the convolution applies the sigmoid that follows it as it writes, straight into that sigmoid's buffer.</summary>
        public bool AppliesFollowingSigmoid { get; private set; }

        /// <summary>Whether the convolution does the forward pass of the activation after it.</summary>
        public bool AppliesFollowingActivation => AppliesFollowingRelu || AppliesFollowingSigmoid;

        public int Index { get; }

        public LayerModel Model { get; }

        public ActivationShape Input { get; }

        public ActivationShape Output { get; }

        /// <summary>The buffer holding this layer's input: the previous layer's output, or <c>input</c>.</summary>
        public string InputBuffer { get; }

        /// <summary>
        /// The buffer holding this layer's output; Flatten is a view of its input's, and a convolution that applies the
        /// following ReLU writes into that ReLU's.
        /// </summary>
        public string OutputBuffer { get; private set; }

        /// <summary>Whether the workspace allocates a buffer for this layer's output.</summary>
        public bool OwnsOutput { get; private set; }

        public string Identifier { get; }

        public string Field { get; }

        public ParameterPlan? Weight { get; set; }

        public ParameterPlan? Bias { get; set; }

        /// <summary>BatchNorm2d's buffers: running mean and variance, then the count of training batches.</summary>
        public ParameterPlan? RunningMean { get; set; }

        public ParameterPlan? RunningVariance { get; set; }

        public ParameterPlan? BatchesTracked { get; set; }

        public long ParameterCount => (Weight?.Length ?? 0) + (Bias?.Length ?? 0);

        /// <summary>A convolution's zeros above and to the left; <c>padding="same"</c> resolved, "valid" zero.</summary>
        public AxisPair PaddingBefore { get; set; }

        /// <summary>Whether the convolution needs <c>Conv2dGeneral</c>: dilation, groups, or more padding after than before.</summary>
        public bool UsesGeneralKernel { get; set; }

        /// <summary>Multiply-adds for one sample, as torchinfo counts them: convolutions and linear layers only.</summary>
        public long MultiplyAdds { get; set; }

        /// <summary>Input rows and columns one output value sees, and the input step between neighbouring outputs; null once flat.</summary>
        public FieldAndJump? ReceptiveField { get; set; }

        /// <summary>Bytes of this layer's float32 output for one sample, as torchinfo counts it; zero for Flatten, a view.</summary>
        public long ActivationBytes => Model.Kind == LayerKind.Flatten ? 0 : Output.Volume * 4;

        /// <summary>Makes this convolution write <c>max(0, x)</c> or the sigmoid into <paramref name="activation"/>'s buffer, with none of its own.</summary>
        public void ApplyFollowingActivation(LayerModel activation)
        {
            AppliesFollowingRelu = activation.Kind == LayerKind.ReLU;
            AppliesFollowingSigmoid = activation.Kind == LayerKind.Sigmoid;
            OwnsOutput = false;
            OutputBuffer = Identifiers.Camel(activation.Name) + "Output";
        }
    }

    /// <summary>
    /// A shape-checked network resolved into what the emitter writes: buffers, parameter offsets in
    /// <c>state_dict()</c> order, scratch sizes and the summary table.
    /// </summary>
    internal sealed class NetworkPlan
    {
        public NetworkPlan(NetworkModel model, IReadOnlyList<ActivationShape> shapes)
        {
            Model = model;
            InputShape = model.InputShape;
            ActivationShape current = InputShape;
            string buffer = "input";
            long offset = 0;
            FieldAndJump? field = new FieldAndJump(1, 1, 1, 1);
            for (int i = 0; i < model.Layers.Count; i++)
            {
                var layer = new LayerPlan(i, model.Layers[i], current, shapes[i], buffer);
                AddParameters(layer, ref offset);
                if (layer.Model.IsConvolution)
                {
                    ResolveConvolution(layer);
                }

                // A convolution on the fast kernel followed by a ReLU (or sigmoid) writes max(0, x) (or the sigmoid)
                // itself: one pass over the activations fewer, and nothing ever reads the plain output, so it gets no buffer.
                if (layer.Model.Kind == LayerKind.Conv2d && !layer.UsesGeneralKernel && i + 1 < model.Layers.Count
                    && model.Layers[i + 1].Kind is LayerKind.ReLU or LayerKind.Sigmoid)
                {
                    layer.ApplyFollowingActivation(model.Layers[i + 1]);
                }

                field = layer.Output.IsFlat ? null : Widen(field, layer);
                layer.ReceptiveField = field;
                Layers.Add(layer);
                current = layer.Output;
                buffer = layer.OutputBuffer;
                LargestActivation = System.Math.Max(LargestActivation, layer.Output.Volume);
            }

            TrainableCount = offset;
            foreach (LayerPlan layer in Layers.Where(layer => layer.Model.Kind == LayerKind.BatchNorm2d))
            {
                AddBuffers(layer, ref offset);
            }

            OutputShape = current;
            ParameterCount = offset;
            MultiplyAdds = Layers.Sum(layer => layer.MultiplyAdds);
            ActivationBytes = InputShape.Volume * 4 + Layers.Sum(layer => layer.ActivationBytes);
            LargestActivation = System.Math.Max(LargestActivation, InputShape.Volume);
            SummaryLines = BuildSummary();
        }

        public NetworkModel Model { get; }

        public ActivationShape InputShape { get; }

        public ActivationShape OutputShape { get; }

        public long OutputSize => OutputShape.Volume;

        public List<LayerPlan> Layers { get; } = new List<LayerPlan>();

        public List<ParameterPlan> Parameters { get; } = new List<ParameterPlan>();

        /// <summary>Values in the flat vector: the learned ones, then the buffers.</summary>
        public long ParameterCount { get; }

        /// <summary>Learned values, the vector's prefix; the summary's "Total parameters", as torchinfo counts.</summary>
        public long TrainableCount { get; }

        public long BufferCount => ParameterCount - TrainableCount;

        /// <summary>The largest per-sample activation, which sizes the backward pass's gradient buffers.</summary>
        public long LargestActivation { get; }

        public IReadOnlyList<string> SummaryLines { get; }

        /// <summary>Multiply-adds of one sample's forward pass.</summary>
        public long MultiplyAdds { get; }

        /// <summary>Bytes of one sample's input and layer outputs, as float32.</summary>
        public long ActivationBytes { get; }

        // Padding before each axis, the kernel to call, and the multiply-adds: C_out*H'*W' outputs of (C_in/groups)*kH*kW each.
        private static void ResolveConvolution(LayerPlan layer)
        {
            LayerModel m = layer.Model;
            AxisPair padding = m.PaddingMode == "valid" ? AxisPair.Square(0) : m.Padding;
            bool asymmetric = false;
            if (m.PaddingMode == "same")
            {
                Shapes.ShapeRules.SamePadding(m.Kernel.Height, m.Dilation.Height, out long top, out long bottom);
                Shapes.ShapeRules.SamePadding(m.Kernel.Width, m.Dilation.Width, out long left, out long right);
                padding = new AxisPair((int)top, (int)left);
                asymmetric = top != bottom || left != right;
            }

            layer.PaddingBefore = padding;
            layer.UsesGeneralKernel = asymmetric || m.Groups != 1 || m.Dilation.Height != 1 || m.Dilation.Width != 1;
            layer.MultiplyAdds = layer.Output.Volume * (layer.Input.Channels / m.Groups) * m.Kernel.Height * m.Kernel.Width;
        }

        private static FieldAndJump? Widen(FieldAndJump? field, LayerPlan layer)
        {
            if (field is null)
            {
                return null;
            }

            LayerModel m = layer.Model;
            switch (m.Kind)
            {
                case LayerKind.Conv1d:
                case LayerKind.Conv2d:
                    return field.Value.Through(
                        m.Dilation.Height * (m.Kernel.Height - 1L) + 1, m.Dilation.Width * (m.Kernel.Width - 1L) + 1, m.Stride.Height, m.Stride.Width);
                case LayerKind.MaxPool2d:
                case LayerKind.AvgPool2d:
                    return field.Value.Through(m.Kernel.Height, m.Kernel.Width, m.Stride.Height, m.Stride.Width);
                case LayerKind.AdaptiveAvgPool2d:
                    // Windows vary: the widest one, and the smallest step between window starts.
                    return field.Value.Through(
                        Shapes.ShapeRules.AdaptiveWidestWindow(layer.Input.Height, layer.Output.Height), Shapes.ShapeRules.AdaptiveWidestWindow(layer.Input.Width, layer.Output.Width),
                        System.Math.Max(1, layer.Input.Height / layer.Output.Height), System.Math.Max(1, layer.Input.Width / layer.Output.Width));
                default:
                    return field;
            }
        }

        private void AddParameters(LayerPlan layer, ref long offset)
        {
            LayerModel m = layer.Model;
            long[] weightShape;
            long outputs;
            if (m.Kind == LayerKind.Conv2d)
            {
                weightShape = new[] { (long)m.OutChannels, layer.Input.Channels / m.Groups, m.Kernel.Height, m.Kernel.Width };
                outputs = m.OutChannels;
            }
            else if (m.Kind == LayerKind.Conv1d)
            {
                // PyTorch's (out, in/groups, k): the height-1 kernel's weights, value for value.
                weightShape = new[] { (long)m.OutChannels, layer.Input.Channels / m.Groups, m.Kernel.Width };
                outputs = m.OutChannels;
            }
            else if (m.Kind == LayerKind.Linear)
            {
                weightShape = new[] { (long)m.OutFeatures, m.InFeatures };
                outputs = m.OutFeatures;
                layer.MultiplyAdds = (long)m.InFeatures * m.OutFeatures;
            }
            else if (m.Kind == LayerKind.BatchNorm2d)
            {
                // PyTorch's reset_parameters: the identity, weight 1 and bias 0.
                long[] features = { layer.Input.Channels };
                layer.Weight = Add(layer, "weight", features, 0, isBias: false, ref offset, constant: 1f);
                layer.Bias = Add(layer, "bias", features, 0, isBias: true, ref offset, constant: 0f);
                return;
            }
            else
            {
                return;
            }

            long fanIn = weightShape.Skip(1).Aggregate(1L, (product, size) => product * size);
            layer.Weight = Add(layer, "weight", weightShape, fanIn, isBias: false, ref offset);
            if (m.HasBias)
            {
                layer.Bias = Add(layer, "bias", new[] { outputs }, fanIn, isBias: true, ref offset);
            }
        }

        // BatchNorm's running statistics start as a standard normal's, with no batch seen; they follow every learned value.
        private void AddBuffers(LayerPlan layer, ref long offset)
        {
            long[] features = { layer.Input.Channels };
            layer.RunningMean = Add(layer, "running_mean", features, 0, isBias: false, ref offset, constant: 0f, trainable: false);
            layer.RunningVariance = Add(layer, "running_var", features, 0, isBias: false, ref offset, constant: 1f, trainable: false);
            layer.BatchesTracked = Add(layer, "num_batches_tracked", new long[0], 0, isBias: false, ref offset, constant: 0f, trainable: false, isCount: true);
        }

        private ParameterPlan Add(
            LayerPlan layer, string suffix, long[] shape, long fanIn, bool isBias, ref long offset, float? constant = null, bool trainable = true, bool isCount = false)
        {
            var parameter = new ParameterPlan(
                layer.Model.Name + "." + suffix,
                layer.Identifier + Identifiers.Pascal(suffix) + "Offset",
                offset,
                shape,
                fanIn,
                isBias,
                constant,
                trainable,
                isCount);
            offset += parameter.Length;
            Parameters.Add(parameter);
            return parameter;
        }

        // The rows the runtime's NetworkLayout.RenderSummary() reads back from the generated Layout, in the same renderer.
        private IReadOnlyList<string> BuildSummary() => SummaryTable.Lines(
            InputShape.Dimensions,
            Layers.Select(layer => new SummaryRow(
                layer.Model.Name,
                layer.Model.Kind.ToString(),
                layer.Output.Dimensions,
                layer.ParameterCount,
                layer.MultiplyAdds,
                layer.ReceptiveField,
                layer.ActivationBytes)).ToList(),
            BufferCount);
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
