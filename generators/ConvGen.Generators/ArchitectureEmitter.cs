using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Layers;
using ConvGen.Planning;
using ConvGen.Shapes;

namespace ConvGen.Generators
{
    /// <summary>
    /// Writes a network's <c>Architecture</c>: each layer as the run-time layer value a <c>Sequential</c> of the same
    /// layers describes itself with (named, in-channels, features and strides resolved), so the two compare equal.
    /// Settings at their defaults are left out, as a person would write the value.
    /// </summary>
    internal static class ArchitectureEmitter
    {
        private const string Layers = "global::ConvGen.Layers.";

        public static void Write(IndentedTextWriter writer, NetworkPlan plan)
        {
            writer.WriteLine("/// <summary>This network as a graph of named layer values with their resolved hyperparameters, as exporters and other engines read it.</summary>");
            writer.WriteLine("public static global::ConvGen.Architecture Architecture { get; } = new(");
            writer.Indent++;
            writer.WriteLine("Name: " + CSharpText.Literal(plan.Model.TypeName) + ",");
            writer.WriteLine("InputShape: " + Shape(plan.InputShape) + ",");
            writer.WriteLine("Nodes:");
            writer.WriteLine("[");
            writer.Indent++;
            foreach (LayerPlan layer in plan.Layers)
            {
                // The values the planned node reads, by name: the network's input or earlier nodes.
                string inputs = string.Join(", ", layer.Planned.Inputs.Select(input => CSharpText.Literal(input == PlannedLayer.NetworkInput ? "input" : plan.Layers[input].Name)));
                writer.WriteLine("new(" + CSharpText.Literal(layer.Name) + ", " + Value(layer) + ", Inputs: [" + inputs + "], InputShape: "
                    + Shape(layer.Input) + ", OutputShape: " + Shape(layer.Output) + "),");
            }

            writer.Indent--;
            writer.WriteLine("]);");
            writer.Indent--;
            writer.WriteLine();
        }

        // The run-time layer value: constructor arguments, then the name and every setting that differs from its default.
        private static string Value(LayerPlan layer)
        {
            LayerSpec m = layer.Spec;
            var settings = new List<string> { "Name = " + CSharpText.Literal(layer.Name) };
            string constructor;
            switch (layer.Kind)
            {
                case LayerKind.Conv2d:
                    constructor = "Conv2d(" + Int(m.OutChannels) + ")";
                    settings.Add("InChannels = " + Int(layer.Input.Channels));
                    AddIf(settings, "Kernel", Pair(m.Kernel), m.Kernel != (AxisPair)1);
                    AddIf(settings, "Stride", Pair(m.Stride), m.Stride != (AxisPair)1);
                    AddIf(settings, "Padding", Pair(m.Padding), m.Padding != (AxisPair)0);
                    AddConvolutionOptions(settings, m, m.Dilation != (AxisPair)1, Pair(m.Dilation));
                    break;
                case LayerKind.Conv1d:
                    constructor = "Conv1d(" + Int(m.OutChannels) + ")";
                    settings.Add("InChannels = " + Int(layer.Input.Channels));
                    AddIf(settings, "Kernel", Int(m.Kernel.Width), m.Kernel.Width != 1);
                    AddIf(settings, "Stride", Int(m.Stride.Width), m.Stride.Width != 1);
                    AddIf(settings, "Padding", Int(m.Padding.Width), m.Padding.Width != 0);
                    AddConvolutionOptions(settings, m, m.Dilation.Width != 1, Int(m.Dilation.Width));
                    break;
                case LayerKind.MaxPool2d:
                case LayerKind.AvgPool2d:
                    constructor = layer.Kind + "(" + Pair(m.Kernel) + ")";
                    settings.Add("Stride = " + Pair(m.Stride));
                    AddIf(settings, "Padding", Pair(m.Padding), m.Padding != (AxisPair)0);
                    AddIf(settings, "CeilMode", "true", m.CeilMode);
                    AddIf(settings, "CountIncludePad", "false", layer.Kind == LayerKind.AvgPool2d && !m.CountIncludePad);
                    break;
                case LayerKind.AdaptiveAvgPool2d:
                    constructor = "AdaptiveAvgPool2d(" + Pair(m.OutputSize) + ")";
                    break;
                case LayerKind.Linear:
                    constructor = "Linear(" + Int(m.InFeatures) + ", " + Int(m.OutFeatures) + ")";
                    AddIf(settings, "Bias", "false", !m.Bias);
                    break;
                case LayerKind.Dropout:
                    constructor = "Dropout(" + CSharpText.Double(m.Probability) + ")";
                    break;
                case LayerKind.LeakyReLU:
                    constructor = "LeakyReLU";
                    AddIf(settings, "NegativeSlope", CSharpText.Double(m.NegativeSlope), !m.NegativeSlope.Equals(LayerDefaults.NegativeSlope));
                    break;
                case LayerKind.ELU:
                    constructor = "ELU";
                    AddIf(settings, "Alpha", CSharpText.Double(m.Alpha), !m.Alpha.Equals(LayerDefaults.EluAlpha));
                    break;
                case LayerKind.BatchNorm2d:
                    constructor = "BatchNorm2d(" + Int(layer.Input.Channels) + ")";
                    AddIf(settings, "Eps", CSharpText.Double(m.Eps), !m.Eps.Equals(LayerDefaults.BatchNormEps));
                    AddIf(settings, "Momentum", CSharpText.Double(m.Momentum), !m.Momentum.Equals(LayerDefaults.BatchNormMomentum));
                    break;
                case LayerKind.Residual:
                case LayerKind.Concat:
                    // The merge alone: its branches' layers are nodes of their own.
                    constructor = layer.Kind + "([])";
                    break;
                default:
                    // ReLU, Sigmoid, Tanh, Flatten, Softmax, LogSoftmax: a name and nothing else.
                    constructor = layer.Kind.ToString();
                    break;
            }

            return "new " + Layers + constructor + " { " + string.Join(", ", settings) + " }";
        }

        private static void AddConvolutionOptions(List<string> settings, LayerSpec m, bool dilated, string dilation)
        {
            AddIf(settings, "PaddingMode", m.PaddingMode is null ? string.Empty : CSharpText.Literal(m.PaddingMode), m.PaddingMode is not null);
            AddIf(settings, "Dilation", dilation, dilated);
            AddIf(settings, "Groups", Int(m.Groups), m.Groups != 1);
            AddIf(settings, "Bias", "false", !m.Bias);
        }

        private static void AddIf(List<string> settings, string name, string value, bool condition)
        {
            if (condition)
            {
                settings.Add(name + " = " + value);
            }
        }

        // AxisPair converts from an int (square) and from a (height, width) tuple.
        private static string Pair(AxisPair pair) => pair.IsSquare ? Int(pair.Height) : "(" + Int(pair.Height) + ", " + Int(pair.Width) + ")";

        private static string Shape(ActivationShape shape) => ConvGenGenerator.Emitter.ShapeList(shape);

        private static string Int(long value) => ConvGenGenerator.Emitter.Int(value);
    }
}
