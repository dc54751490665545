using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Shapes;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators
{
    /// <summary>
    /// Infers every layer's per-sample output shape with the shared <see cref="ShapeRules"/> and reports, on the
    /// argument at fault, what does not fit. A pure function of the model: no compilation, no symbols.
    /// </summary>
    internal static class ShapeInference
    {
        // Buffers are float[] indexed by int: a layer's batch of activations must stay addressable.
        private const long MaxValuesPerSample = int.MaxValue / 64;

        public static NetworkAnalysis Analyze(ParseResult parsed)
        {
            var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
            NetworkModel? model = parsed.Model;
            if (model is null)
            {
                return new NetworkAnalysis(null, EquatableArray<ActivationShape>.Empty, diagnostics.ToEquatableArray(), HasErrors: true);
            }

            var walk = new Walk(model, diagnostics);
            walk.Run();
            bool hasErrors = diagnostics.Any(diagnostic => DiagnosticDescriptors.ById(diagnostic.Id).DefaultSeverity == DiagnosticSeverity.Error);
            return new NetworkAnalysis(model, walk.Shapes.ToEquatableArray(), diagnostics.ToEquatableArray(), hasErrors);
        }

        /// <summary>The walk through the layers in order, carrying the current shape and the derivation text.</summary>
        private sealed class Walk
        {
            private readonly NetworkModel model;
            private readonly List<DiagnosticInfo> diagnostics;
            private readonly List<string> derivation = new List<string>();
            private ActivationShape shape;

            public Walk(NetworkModel model, List<DiagnosticInfo> diagnostics)
            {
                this.model = model;
                this.diagnostics = diagnostics;
            }

            public List<ActivationShape> Shapes { get; } = new List<ActivationShape>();

            private string Derivation => string.Join(" -> ", derivation);

            public void Run()
            {
                shape = ActivationShape.Planes(model.InputChannels, model.InputHeight, model.InputWidth);
                if (model.InputChannels < 1 || model.InputHeight < 1 || model.InputWidth < 1)
                {
                    Report(DiagnosticDescriptors.InvalidInputShape, model.NetworkLocation, model.TypeName, shape.ToString());
                    return;
                }

                derivation.Add(shape.ToString());
                if (TooLarge(shape, "Network", model.TypeName, model.NetworkLocation))
                {
                    return;
                }

                CheckNames();
                foreach (LayerModel layer in model.Layers)
                {
                    ActivationShape? next = Infer(layer);
                    if (next is null || TooLarge(next.Value, layer.Kind.ToString(), layer.Name, layer.Location))
                    {
                        return;
                    }

                    shape = next.Value;
                    Shapes.Add(shape);
                    derivation.Add(layer.Name + " " + shape);
                }
            }

            // In arbitrary precision: three int-sized factors can overflow a long, and absurd sizes must still get this
            // diagnostic, not a wrapped-around product. Every shape the walk accepts then has a safe Volume.
            private bool TooLarge(ActivationShape candidate, string kind, string name, LocationInfo? location)
            {
                BigInteger values = new BigInteger(candidate.Channels) * candidate.Height * candidate.Width;
                if (values <= MaxValuesPerSample)
                {
                    return false;
                }

                Report(DiagnosticDescriptors.NetworkTooLarge, location, kind, name, values.ToString(CultureInfo.InvariantCulture), Text(MaxValuesPerSample), Derivation);
                return true;
            }

            private void CheckNames()
            {
                var seen = new HashSet<string>();
                foreach (LayerModel layer in model.Layers)
                {
                    if (!seen.Add(layer.Name))
                    {
                        Report(DiagnosticDescriptors.DuplicateLayerName, layer.LocationOf("Name"), layer.Name);
                    }
                }
            }

            private ActivationShape? Infer(LayerModel layer)
            {
                switch (layer.Kind)
                {
                    case LayerKind.Conv2d:
                        return Convolution(layer);
                    case LayerKind.MaxPool2d:
                    case LayerKind.AvgPool2d:
                        return Pooling(layer);
                    case LayerKind.Flatten:
                        return ActivationShape.Features(shape.Volume);
                    case LayerKind.Linear:
                        return Linear(layer);
                    case LayerKind.Dropout:
                        if (!(layer.Probability >= 0 && layer.Probability < 1))
                        {
                            Report(DiagnosticDescriptors.DropoutProbabilityOutOfRange, layer.LocationOf("Probability"), layer.Name, layer.Probability.ToString("R", CultureInfo.InvariantCulture));
                            return null;
                        }

                        return shape;
                    default:
                        return shape;
                }
            }

            private ActivationShape? Convolution(LayerModel layer)
            {
                if (!RequirePlanes(layer)
                    || !RequireAtLeast(layer, "OutChannels", "out-channels", layer.OutChannels, 1)
                    || !RequireAtLeast(layer, "Kernel", "kernel", layer.Kernel, 1)
                    || !RequireAtLeast(layer, "Stride", "stride", layer.Stride, 1)
                    || !RequireAtLeast(layer, "Padding", "padding", layer.Padding, 0))
                {
                    return null;
                }

                if (layer.InChannels != 0 && layer.InChannels != shape.Channels)
                {
                    ReportFixable(DiagnosticDescriptors.InChannelsMismatch, layer.LocationOf("InChannels"), Text(shape.Channels), layer.Name, Text(layer.InChannels), Text(shape.Channels), Derivation);
                }

                return Window(layer, layer.OutChannels, pooling: false);
            }

            private ActivationShape? Pooling(LayerModel layer)
            {
                if (!RequirePlanes(layer)
                    || !RequireAtLeast(layer, "Kernel", "kernel", layer.Kernel, 1)
                    || !RequireAtLeast(layer, "Stride", "stride", layer.Stride, 1)
                    || !RequireAtLeast(layer, "Padding", "padding", layer.Padding, 0))
                {
                    return null;
                }

                if (!ShapeRules.IsPoolingPaddingValid(layer.Kernel.Height, layer.Padding.Height) || !ShapeRules.IsPoolingPaddingValid(layer.Kernel.Width, layer.Padding.Width))
                {
                    Report(DiagnosticDescriptors.PoolingPaddingTooLarge, layer.LocationOf("Padding"), layer.Kind.ToString(), layer.Name, layer.Padding.ToString(), layer.Kernel.ToString(), Text(layer.Kernel.Height / 2));
                    return null;
                }

                return Window(layer, shape.Channels, pooling: true);
            }

            private ActivationShape? Linear(LayerModel layer)
            {
                if (!shape.IsFlat)
                {
                    Report(DiagnosticDescriptors.LinearWithoutFlatten, layer.Location, layer.Name, shape.ToString(), Text(shape.Volume), Derivation);
                    return null;
                }

                if (!RequireAtLeast(layer, "InFeatures", "in-features", layer.InFeatures, 1)
                    || !RequireAtLeast(layer, "OutFeatures", "out-features", layer.OutFeatures, 1))
                {
                    return null;
                }

                if (layer.InFeatures != shape.Channels)
                {
                    ReportFixable(DiagnosticDescriptors.LinearInFeaturesMismatch, layer.LocationOf("InFeatures"), Text(shape.Channels), layer.Name, Text(layer.InFeatures), Text(shape.Channels), Derivation);
                }

                return ActivationShape.Features(layer.OutFeatures);
            }

            // Both axes of a convolution or pooling window. A square window on a square input fits, or fails, alike on
            // both: check it once for "height and width" rather than report the same problem twice on one argument.
            private ActivationShape? Window(LayerModel layer, long channels, bool pooling)
            {
                bool square = shape.Height == shape.Width
                    && layer.Kernel.Height == layer.Kernel.Width
                    && layer.Stride.Height == layer.Stride.Width
                    && layer.Padding.Height == layer.Padding.Width;
                long? height = SlidingWindow(layer, square ? "height and width" : "height", square ? "rows and columns" : "rows", shape.Height, layer.Kernel.Height, layer.Stride.Height, layer.Padding.Height, pooling);
                long? width = square ? height : SlidingWindow(layer, "width", "columns", shape.Width, layer.Kernel.Width, layer.Stride.Width, layer.Padding.Width, pooling);
                return height is null || width is null ? (ActivationShape?)null : ActivationShape.Planes(channels, height.Value, width.Value);
            }

            // One axis of a convolution or pooling window: output size, the kernel-too-large error and the unused-rows warning.
            private long? SlidingWindow(LayerModel layer, string axis, string lines, long input, int kernel, int stride, int padding, bool pooling)
            {
                long output = pooling
                    ? ShapeRules.PoolingOutputSize(input, kernel, stride, padding)
                    : ShapeRules.ConvolutionOutputSize(input, kernel, stride, padding);
                if (output < 1)
                {
                    Report(DiagnosticDescriptors.OutputSizeBelowOne, layer.LocationOf("Kernel"), layer.Kind.ToString(), layer.Name, Text(kernel), axis, Text(input + 2L * padding), Text(output), Derivation);
                    return null;
                }

                long unused = ShapeRules.UnusedInputSize(input, kernel, stride, padding);
                if (unused > 0)
                {
                    Report(DiagnosticDescriptors.StrideLeavesInputUnused, layer.LocationOf("Stride"), layer.Kind.ToString(), layer.Name, Text(kernel), Text(stride), Text(padding), Text(unused), lines, Text(input), Derivation);
                }

                return output;
            }

            private bool RequirePlanes(LayerModel layer)
            {
                if (!shape.IsFlat)
                {
                    return true;
                }

                Report(DiagnosticDescriptors.SpatialLayerOnFlatInput, layer.Location, layer.Kind.ToString(), layer.Name, shape.ToString(), Derivation);
                return false;
            }

            private bool RequireAtLeast(LayerModel layer, string argument, string what, AxisPair value, int minimum)
            {
                int bad = value.Height < minimum ? value.Height : value.Width < minimum ? value.Width : minimum;
                return bad >= minimum || Fail(layer, argument, what, bad, minimum);
            }

            private bool RequireAtLeast(LayerModel layer, string argument, string what, int value, int minimum)
            {
                return value >= minimum || Fail(layer, argument, what, value, minimum);
            }

            private bool Fail(LayerModel layer, string argument, string what, int value, int minimum)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, layer.LocationOf(argument), layer.Kind.ToString(), layer.Name, what, Text(value), Text(minimum));
                return false;
            }

            private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
            }

            // A mismatch whose right value is known: the code fix writes it.
            private void ReportFixable(DiagnosticDescriptor descriptor, LocationInfo? location, string inferredValue, params string[] arguments)
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments) with { InferredValue = inferredValue });
            }

            private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        }
    }
}
