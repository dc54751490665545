using System.Collections.Generic;
using System.Globalization;
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
            for (int i = 0; i < model.Layers.Count; i++)
            {
                var layer = new LayerPlan(i, model.Layers[i], current, shapes[i], buffer);
                AddParameters(layer, ref offset);
                Layers.Add(layer);
                current = layer.Output;
                buffer = layer.OutputBuffer;
                LargestActivation = System.Math.Max(LargestActivation, layer.Output.Volume);
                if (layer.Model.Kind == LayerKind.Conv2d)
                {
                    long columns = layer.Input.Channels * layer.Model.Kernel.Height * layer.Model.Kernel.Width * layer.Output.Height * layer.Output.Width;
                    ColumnsSize = System.Math.Max(ColumnsSize, columns);
                }
            }

            OutputShape = current;
            ParameterCount = offset;
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

        private void AddParameters(LayerPlan layer, ref long offset)
        {
            LayerModel m = layer.Model;
            long[] weightShape;
            long outputs;
            if (m.Kind == LayerKind.Conv2d)
            {
                weightShape = new[] { (long)m.OutChannels, layer.Input.Channels, m.Kernel.Height, m.Kernel.Width };
                outputs = m.OutChannels;
            }
            else if (m.Kind == LayerKind.Linear)
            {
                weightShape = new[] { (long)m.OutFeatures, m.InFeatures };
                outputs = m.OutFeatures;
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

        // A torchinfo-style table: one row per layer, then the totals.
        private IReadOnlyList<string> BuildSummary()
        {
            var rows = new List<string[]> { new[] { "Layer (type)", "Output shape", "Param #" } };
            rows.Add(new[] { "input", InputShape.ToString(), "0" });
            foreach (LayerPlan layer in Layers)
            {
                rows.Add(new[] { layer.Model.Name + " (" + layer.Model.Kind + ")", layer.Output.ToString(), Number(layer.ParameterCount) });
            }

            int first = rows.Max(row => row[0].Length) + 2;
            int second = rows.Max(row => row[1].Length) + 2;
            int third = rows.Max(row => row[2].Length);
            var lines = rows.Select(row => (row[0].PadRight(first) + row[1].PadRight(second) + row[2].PadLeft(third)).TrimEnd()).ToList();
            string rule = new string('=', first + second + third);
            lines.Insert(1, rule);
            lines.Add(rule);
            lines.Add("Total parameters: " + Number(ParameterCount));
            return lines;
        }

        private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
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
