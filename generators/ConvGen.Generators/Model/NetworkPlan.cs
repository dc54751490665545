using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ConvGen.Generators.Model
{
    /// <summary>One learned tensor as the emitter lays it out in the flat parameter vector.</summary>
    internal sealed class ParameterPlan
    {
        public ParameterPlan(string key, string offsetName, long offset, long[] shape, long fanIn, bool isBias)
        {
            Key = key;
            OffsetName = offsetName;
            Offset = offset;
            Shape = shape;
            FanIn = fanIn;
            IsBias = isBias;
        }

        public string Key { get; }

        public string OffsetName { get; }

        public long Offset { get; }

        public long[] Shape { get; }

        public long FanIn { get; }

        public bool IsBias { get; }

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

        public int Index { get; }

        public LayerModel Model { get; }

        public ActivationShape Input { get; }

        public ActivationShape Output { get; }

        /// <summary>The buffer holding this layer's input: the previous layer's output, or <c>input</c>.</summary>
        public string InputBuffer { get; }

        /// <summary>The buffer holding this layer's output; Flatten is a view of its input's.</summary>
        public string OutputBuffer { get; }

        public bool OwnsOutput { get; }

        public string Identifier { get; }

        public string Field { get; }

        public ParameterPlan? Weight { get; set; }

        public ParameterPlan? Bias { get; set; }

        public long ParameterCount => (Weight?.Length ?? 0) + (Bias?.Length ?? 0);

        /// <summary>A convolution's zeros above and to the left; <c>padding="same"</c> resolved, "valid" zero.</summary>
        public AxisPair PaddingBefore { get; set; }

        /// <summary>Whether the convolution needs <c>Conv2dGeneral</c>: dilation, groups, or more padding after than before.</summary>
        public bool UsesGeneralKernel { get; set; }

        /// <summary>Multiply-adds for one sample, as torchinfo counts them: convolutions and linear layers only.</summary>
        public long MultiplyAdds { get; set; }

        /// <summary>Input rows and columns one output value sees, and the input step between neighbouring outputs; null once flat.</summary>
        public ReceptiveField? ReceptiveField { get; set; }

        /// <summary>Bytes of this layer's float32 output for one sample; zero for Flatten, a view.</summary>
        public long ActivationBytes => OwnsOutput ? Output.Volume * 4 : 0;
    }

    /// <summary>A receptive field per axis: its size in input pixels, and the jump (input step between neighbouring outputs).</summary>
    internal readonly struct ReceptiveField
    {
        public ReceptiveField(long height, long width, long jumpHeight, long jumpWidth)
        {
            Height = height;
            Width = width;
            JumpHeight = jumpHeight;
            JumpWidth = jumpWidth;
        }

        public long Height { get; }

        public long Width { get; }

        public long JumpHeight { get; }

        public long JumpWidth { get; }

        // A window of (effective) kernel k and stride s widens the field by (k-1) jumps and multiplies the jump by s.
        public ReceptiveField Through(long kernelHeight, long kernelWidth, long strideHeight, long strideWidth) => new ReceptiveField(
            Height + (kernelHeight - 1) * JumpHeight, Width + (kernelWidth - 1) * JumpWidth, JumpHeight * strideHeight, JumpWidth * strideWidth);

        public override string ToString() => Shapes.SummaryTable.ReceptiveField(Height, Width, JumpHeight, JumpWidth);
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
            InputShape = ActivationShape.Planes(model.InputChannels, model.InputHeight, model.InputWidth);
            ActivationShape current = InputShape;
            string buffer = "input";
            long offset = 0;
            ReceptiveField? field = new ReceptiveField(1, 1, 1, 1);
            for (int i = 0; i < model.Layers.Count; i++)
            {
                var layer = new LayerPlan(i, model.Layers[i], current, shapes[i], buffer);
                AddParameters(layer, ref offset);
                if (layer.Model.Kind == LayerKind.Conv2d)
                {
                    ResolveConvolution(layer);
                }

                field = layer.Output.IsFlat ? null : Widen(field, layer);
                layer.ReceptiveField = field;
                Layers.Add(layer);
                current = layer.Output;
                buffer = layer.OutputBuffer;
                LargestActivation = System.Math.Max(LargestActivation, layer.Output.Volume);
                if (layer.Model.Kind == LayerKind.Conv2d && !layer.UsesGeneralKernel)
                {
                    long columns = layer.Input.Channels * layer.Model.Kernel.Height * layer.Model.Kernel.Width * layer.Output.Height * layer.Output.Width;
                    ColumnsSize = System.Math.Max(ColumnsSize, columns);
                }
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

        public long ParameterCount { get; }

        /// <summary>Values one sample's im2col matrix needs in the largest convolution; zero without convolutions.</summary>
        public long ColumnsSize { get; }

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

        private static ReceptiveField? Widen(ReceptiveField? field, LayerPlan layer)
        {
            if (field is null)
            {
                return null;
            }

            LayerModel m = layer.Model;
            switch (m.Kind)
            {
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
            else if (m.Kind == LayerKind.Linear)
            {
                weightShape = new[] { (long)m.OutFeatures, m.InFeatures };
                outputs = m.OutFeatures;
                layer.MultiplyAdds = (long)m.InFeatures * m.OutFeatures;
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

        private ParameterPlan Add(LayerPlan layer, string suffix, long[] shape, long fanIn, bool isBias, ref long offset)
        {
            var parameter = new ParameterPlan(
                layer.Model.Name + "." + suffix,
                layer.Identifier + Identifiers.Pascal(suffix) + "Offset",
                offset,
                shape,
                fanIn,
                isBias);
            offset += parameter.Length;
            Parameters.Add(parameter);
            return parameter;
        }

        // The shared table, so that a Sequential built at run time prints exactly what the generator writes.
        private IReadOnlyList<string> BuildSummary() =>
            Shapes.SummaryTable.Lines(
                InputShape.ToString(),
                InputShape.Volume,
                Layers.Select(layer => Shapes.SummaryTable.LayerRow(
                    layer.Model.Name,
                    layer.Model.Kind.ToString(),
                    layer.Output.ToString(),
                    layer.ParameterCount,
                    layer.MultiplyAdds,
                    layer.ReceptiveField?.ToString(),
                    layer.OwnsOutput ? layer.ActivationBytes : (long?)null)),
                ParameterCount,
                MultiplyAdds,
                ActivationBytes);
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
