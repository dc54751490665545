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

            // The attributes that decided the current size and the current channels: secondary locations of a mismatch.
            private List<LocationInfo> sizeSources = new List<LocationInfo>();
            private List<LocationInfo> channelSources = new List<LocationInfo>();

            // Running totals for the memory warnings, in arbitrary precision like the size check.
            private BigInteger parameters;
            private BigInteger activations;
            private string largestLayer = string.Empty;
            private BigInteger largestLayerParameters;

            public Walk(NetworkModel model, List<DiagnosticInfo> diagnostics)
            {
                this.model = model;
                this.diagnostics = diagnostics;
            }

            public List<ActivationShape> Shapes { get; } = new List<ActivationShape>();

            private string Derivation => string.Join(" -> ", derivation);

            public void Run()
            {
                shape = model.InputShape;
                if (model.IsSequence && (model.InputHeight != 0 || model.InputWidth != 0))
                {
                    string image = model.InputHeight != 0 && model.InputWidth != 0 ? "InputHeight and InputWidth" : model.InputHeight != 0 ? "InputHeight" : "InputWidth";
                    Report(DiagnosticDescriptors.InputBothSequenceAndImage, model.NetworkLocation, model.TypeName, image);
                    return;
                }

                if (model.InputChannels < 1 || (model.IsSequence ? model.InputLength < 1 : model.InputHeight < 1 || model.InputWidth < 1))
                {
                    string rule = model.IsSequence
                        ? "InputChannels and InputLength must both be set to at least 1"
                        : "InputChannels, InputHeight and InputWidth must all be set to at least 1";
                    Report(DiagnosticDescriptors.InvalidInputShape, model.NetworkLocation, model.TypeName, shape.ToString(), rule);
                    return;
                }

                derivation.Add(shape.ToString());
                if (TooLarge(shape, "Network", model.TypeName, model.NetworkLocation))
                {
                    return;
                }

                CheckNames();
                sizeSources = Sources(model.NetworkLocation);
                channelSources = Sources(model.NetworkLocation);
                foreach (LayerModel layer in model.Layers)
                {
                    ActivationShape? next = Infer(layer);
                    if (next is null || TooLarge(next.Value, layer.Kind.ToString(), layer.Name, layer.Location))
                    {
                        return;
                    }

                    Count(layer, shape, next.Value);
                    shape = next.Value;
                    Shapes.Add(shape);
                    derivation.Add(layer.Name + " " + shape);
                }

                CheckMemory();
            }

            private static List<LocationInfo> Sources(params LocationInfo?[] locations) =>
                locations.Where(location => location is not null).Select(location => location!).ToList();

            // Parameters and activations of one accepted layer; which attributes now decide the size and channels.
            private void Count(LayerModel layer, ActivationShape input, ActivationShape output)
            {
                BigInteger layerParameters = 0;
                switch (layer.Kind)
                {
                    case LayerKind.Conv1d:
                    case LayerKind.Conv2d:
                        layerParameters = new BigInteger(layer.OutChannels) * (input.Channels / layer.Groups) * layer.Kernel.Height * layer.Kernel.Width
                            + (layer.HasBias ? layer.OutChannels : 0);
                        sizeSources = Sources(layer.Location);
                        channelSources = Sources(layer.LocationOf("OutChannels"));
                        break;
                    case LayerKind.MaxPool2d:
                    case LayerKind.AvgPool2d:
                    case LayerKind.AdaptiveAvgPool2d:
                        sizeSources = Sources(layer.Location);
                        break;
                    case LayerKind.Flatten:
                        sizeSources = sizeSources.Concat(Sources(layer.Location)).ToList();
                        break;
                    case LayerKind.Linear:
                        layerParameters = new BigInteger(layer.InFeatures) * layer.OutFeatures + (layer.HasBias ? layer.OutFeatures : 0);
                        sizeSources = Sources(layer.LocationOf("OutFeatures"));
                        break;
                    case LayerKind.BatchNorm2d:
                        // Weight and bias are learned; the running mean, variance and batch count share the vector as buffers.
                        layerParameters = 2 * new BigInteger(input.Channels);
                        parameters += 2 * new BigInteger(input.Channels) + 1;
                        break;
                }

                parameters += layerParameters;
                if (layerParameters > largestLayerParameters)
                {
                    largestLayerParameters = layerParameters;
                    largestLayer = layer.Name;
                }

                if (layer.Kind != LayerKind.Flatten)
                {
                    activations += output.Volume;
                }
            }

            private void CheckMemory()
            {
                const long ParameterBytesLimit = 2L << 30, ActivationBytesLimit = 1L << 30;
                // The parameter vector is one float[], its offsets ints.
                if (parameters > int.MaxValue)
                {
                    Report(DiagnosticDescriptors.TooManyParameters, model.NetworkLocation, model.TypeName, Big(parameters), Text(int.MaxValue), largestLayer, Big(largestLayerParameters));
                }
                else if (parameters * 4 > ParameterBytesLimit)
                {
                    Report(DiagnosticDescriptors.ParametersTooLarge, model.NetworkLocation, model.TypeName, Big(parameters), Big(parameters * 4), largestLayer, Big(largestLayerParameters));
                }

                // The input and every layer's output (Flatten is a view), as a forward pass for training keeps them all.
                BigInteger perSample = activations + model.InputShape.Volume;
                if (perSample * 4 > ActivationBytesLimit)
                {
                    Report(DiagnosticDescriptors.ActivationsTooLarge, model.NetworkLocation, model.TypeName, Big(perSample), Big(perSample * 4));
                }
            }

            private static string Big(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

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
                    case LayerKind.Conv1d:
                    case LayerKind.Conv2d:
                        return Convolution(layer);
                    case LayerKind.MaxPool2d:
                    case LayerKind.AvgPool2d:
                        return Pooling(layer);
                    case LayerKind.AdaptiveAvgPool2d:
                        return AdaptivePooling(layer);
                    case LayerKind.Flatten:
                        return ActivationShape.Features(shape.Volume);
                    case LayerKind.Linear:
                        return Linear(layer);
                    case LayerKind.BatchNorm2d:
                        return BatchNorm(layer);
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
                if (!RequireInputKind(layer)
                    || !RequireAtLeast(layer, "OutChannels", "out-channels", layer.OutChannels, 1)
                    || !RequireAtLeast(layer, "Kernel", "kernel", layer.Kernel, 1)
                    || !RequireAtLeast(layer, "Stride", "stride", layer.Stride, 1)
                    || !RequireAtLeast(layer, "Padding", "padding", layer.Padding, 0)
                    || !RequireAtLeast(layer, "Dilation", "dilation", layer.Dilation, 1)
                    || !RequireAtLeast(layer, "Groups", "groups", layer.Groups, 1))
                {
                    return null;
                }

                if (layer.InChannels != 0 && layer.InChannels != shape.Channels)
                {
                    ReportFixable(DiagnosticDescriptors.InChannelsMismatch, layer.LocationOf("InChannels"), Text(shape.Channels), channelSources, layer.Kind.ToString(), layer.Name, Text(layer.InChannels), Text(shape.Channels), Derivation);
                }

                if (shape.Channels % layer.Groups != 0 || layer.OutChannels % layer.Groups != 0)
                {
                    bool input = shape.Channels % layer.Groups != 0;
                    Report(DiagnosticDescriptors.GroupsDoNotDivideChannels, layer.LocationOf("Groups"), layer.Kind.ToString(), layer.Name, Text(layer.Groups), Text(input ? shape.Channels : layer.OutChannels), input ? "in-channels" : "out-channels", Derivation);
                    return null;
                }

                if (layer.PaddingMode is null)
                {
                    return Window(layer, layer.OutChannels, pooling: false);
                }

                LocationInfo? mode = layer.LocationOf("PaddingMode");
                string? padding = layer.Arguments.Select(site => site.Name).FirstOrDefault(name => name.StartsWith("Padding", System.StringComparison.Ordinal) && name != "PaddingMode");
                if (layer.PaddingMode != "same" && layer.PaddingMode != "valid")
                {
                    Report(DiagnosticDescriptors.InvalidPaddingMode, mode, layer.Kind.ToString(), layer.Name, layer.PaddingMode, "PaddingMode must be \"same\" or \"valid\"");
                    return null;
                }

                if (padding is not null)
                {
                    Report(DiagnosticDescriptors.InvalidPaddingMode, mode, layer.Kind.ToString(), layer.Name, layer.PaddingMode, "PaddingMode replaces " + padding + "; declare one or the other");
                    return null;
                }

                if (layer.PaddingMode == "valid")
                {
                    return Window(layer with { Padding = AxisPair.Square(0) }, layer.OutChannels, pooling: false);
                }

                if (layer.Stride.Height != 1 || layer.Stride.Width != 1)
                {
                    Report(DiagnosticDescriptors.SamePaddingWithStride, mode, layer.Kind.ToString(), layer.Name, layer.SizeText(layer.Stride));
                    return null;
                }

                WarnIfAsymmetric(layer, mode);
                return shape with { Channels = layer.OutChannels };
            }

            // 'same' pads d*(k-1) zeros in all; when that is odd, PyTorch puts the extra one after (below, to the right).
            private void WarnIfAsymmetric(LayerModel layer, LocationInfo? mode)
            {
                ShapeRules.SamePadding(layer.Kernel.Height, layer.Dilation.Height, out long top, out long bottom);
                ShapeRules.SamePadding(layer.Kernel.Width, layer.Dilation.Width, out long left, out long right);
                bool rows = top != bottom, columns = left != right;
                if (!rows && !columns)
                {
                    return;
                }

                long effectiveHeight = layer.Dilation.Height * (layer.Kernel.Height - 1L) + 1, effectiveWidth = layer.Dilation.Width * (layer.Kernel.Width - 1L) + 1;
                bool sequence = layer.Kind == LayerKind.Conv1d;
                string kernel = sequence || effectiveHeight == effectiveWidth ? Text(effectiveWidth) : Text(effectiveHeight) + "x" + Text(effectiveWidth);
                string axis = sequence ? "length" : rows && columns ? "height and width" : rows ? "height" : "width";
                Report(
                    DiagnosticDescriptors.AsymmetricSamePadding, mode, layer.Kind.ToString(), layer.Name, kernel, Text(rows ? top : left), Text(rows ? bottom : right), axis,
                    sequence ? "at the end" : "below and to the right");
            }

            private ActivationShape? Pooling(LayerModel layer)
            {
                if (!RequireInputKind(layer)
                    || !RequireAtLeast(layer, "Kernel", "kernel", layer.Kernel, 1)
                    || !RequireAtLeast(layer, "Stride", "stride", layer.Stride, 1)
                    || !RequireAtLeast(layer, "Padding", "padding", layer.Padding, 0))
                {
                    return null;
                }

                if (!ShapeRules.IsPoolingPaddingValid(layer.Kernel.Height, layer.Padding.Height) || !ShapeRules.IsPoolingPaddingValid(layer.Kernel.Width, layer.Padding.Width))
                {
                    bool height = !ShapeRules.IsPoolingPaddingValid(layer.Kernel.Height, layer.Padding.Height);
                    Report(
                        DiagnosticDescriptors.PoolingPaddingTooLarge,
                        height ? layer.LocationOf("PaddingHeight", "Padding") : layer.LocationOf("PaddingWidth", "Padding"),
                        layer.Kind.ToString(),
                        layer.Name,
                        layer.Padding.ToString(),
                        layer.Kernel.ToString(),
                        Text((height ? layer.Kernel.Height : layer.Kernel.Width) / 2));
                    return null;
                }

                return Window(layer, shape.Channels, pooling: true);
            }

            private ActivationShape? AdaptivePooling(LayerModel layer)
            {
                if (!RequireInputKind(layer)
                    || !RequireAtLeast(layer, "OutputHeight", "output height", layer.OutputSize.Height, 1)
                    || !RequireAtLeast(layer, "OutputWidth", "output width", layer.OutputSize.Width, 1))
                {
                    return null;
                }

                return ActivationShape.Planes(shape.Channels, layer.OutputSize.Height, layer.OutputSize.Width);
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
                    ReportFixable(DiagnosticDescriptors.LinearInFeaturesMismatch, layer.LocationOf("InFeatures"), Text(shape.Channels), sizeSources, layer.Name, Text(layer.InFeatures), Text(shape.Channels), Derivation);
                }

                return ActivationShape.Features(layer.OutFeatures);
            }

            // Keeps the shape; the features, when declared, must be the channels received.
            private ActivationShape? BatchNorm(LayerModel layer)
            {
                if (!RequireInputKind(layer))
                {
                    return null;
                }

                bool declared = layer.Arguments.Any(site => site.Name == "NumFeatures");
                if (declared && !RequireAtLeast(layer, "NumFeatures", "features", layer.NumFeatures, 1))
                {
                    return null;
                }

                if (declared && layer.NumFeatures != shape.Channels)
                {
                    ReportFixable(DiagnosticDescriptors.BatchNormFeaturesMismatch, layer.LocationOf("NumFeatures"), Text(shape.Channels), channelSources, layer.Name, Text(layer.NumFeatures), Text(shape.Channels), Derivation);
                }

                // Written as "not inside the range" so that NaN fails too.
                if (!(layer.Epsilon > 0 && layer.Epsilon <= double.MaxValue))
                {
                    Report(DiagnosticDescriptors.BatchNormSettingOutOfRange, layer.LocationOf("Eps"), layer.Name, "Eps", Real(layer.Epsilon), "positive and finite");
                    return null;
                }

                if (!(layer.Momentum >= 0 && layer.Momentum <= 1))
                {
                    Report(DiagnosticDescriptors.BatchNormSettingOutOfRange, layer.LocationOf("Momentum"), layer.Name, "Momentum", Real(layer.Momentum), "in [0, 1]");
                    return null;
                }

                return shape;
            }

            // Both axes of a convolution or pooling window. A square window on a square input fits, or fails, alike on
            // both: check it once for "height and width" rather than report the same problem twice on one argument.
            private ActivationShape? Window(LayerModel layer, long channels, bool pooling)
            {
                if (shape.IsSequence)
                {
                    // A sequence's one axis is held as the width, and a Conv1d's window spans only that.
                    long? length = SlidingWindow(layer, "length", "positions", "Width", shape.Width, pooling);
                    return length is null ? (ActivationShape?)null : ActivationShape.Sequence(channels, length.Value);
                }

                bool square = shape.Height == shape.Width && layer.Kernel.IsSquare && layer.Stride.IsSquare && layer.Padding.IsSquare && layer.Dilation.IsSquare;
                long? height = SlidingWindow(layer, square ? "height and width" : "height", square ? "rows and columns" : "rows", "Height", shape.Height, pooling);
                long? width = square ? height : SlidingWindow(layer, "width", "columns", "Width", shape.Width, pooling);
                return height is null || width is null ? (ActivationShape?)null : ActivationShape.Planes(channels, height.Value, width.Value);
            }

            // One axis of a convolution or pooling window: output size, the kernel-too-large error and the unused-rows warning.
            private long? SlidingWindow(LayerModel layer, string axis, string lines, string axisName, long input, bool pooling)
            {
                bool height = axisName == "Height";
                int kernel = height ? layer.Kernel.Height : layer.Kernel.Width;
                int stride = height ? layer.Stride.Height : layer.Stride.Width;
                int padding = height ? layer.Padding.Height : layer.Padding.Width;
                int dilation = height ? layer.Dilation.Height : layer.Dilation.Width;
                bool ceil = pooling && layer.CeilMode;
                long output = pooling
                    ? ShapeRules.PoolingOutputSize(input, kernel, stride, padding, ceilMode: ceil)
                    : ShapeRules.ConvolutionOutputSize(input, kernel, stride, padding, dilation);
                string kernelText = dilation == 1 ? Text(kernel) : Text(kernel) + " dilated by " + Text(dilation) + " to " + Text(dilation * (kernel - 1L) + 1);
                if (output < 1)
                {
                    Report(DiagnosticDescriptors.OutputSizeBelowOne, layer.LocationOf("Kernel" + axisName, "Kernel"), layer.Kind.ToString(), layer.Name, kernelText, axis, Text(input + 2L * padding), Text(output), Derivation);
                    return null;
                }

                // Ceil mode exists to cover the rows floor mode would leave over.
                long unused = ceil ? 0 : ShapeRules.UnusedInputSize(input, kernel, stride, padding, dilation);
                if (unused > 0)
                {
                    Report(DiagnosticDescriptors.StrideLeavesInputUnused, layer.LocationOf("Stride" + axisName, "Stride"), layer.Kind.ToString(), layer.Name, kernelText, Text(stride), Text(padding), Text(unused), lines, Text(input), Derivation);
                }

                return output;
            }

            // Conv1d takes C x L sequences; the 2-D layers take C x H x W planes.
            private bool RequireInputKind(LayerModel layer)
            {
                bool wantsSequence = layer.Kind == LayerKind.Conv1d;
                if (!shape.IsFlat && shape.IsSequence == wantsSequence)
                {
                    return true;
                }

                if (shape.IsFlat && !wantsSequence)
                {
                    Report(DiagnosticDescriptors.SpatialLayerOnFlatInput, layer.Location, layer.Kind.ToString(), layer.Name, shape.ToString(), Derivation);
                    return false;
                }

                string received = shape.IsFlat ? shape + " flat features" : shape + (shape.IsSequence ? " (C x L)" : " (C x H x W)");
                Report(DiagnosticDescriptors.SequenceAndImageLayersMixed, layer.Location, layer.Kind.ToString(), layer.Name, wantsSequence ? "C x L" : "C x H x W", received, Derivation);
                return false;
            }

            private bool RequireAtLeast(LayerModel layer, string argument, string what, AxisPair value, int minimum)
            {
                if (value.Height < minimum)
                {
                    return Fail(layer.LocationOf(argument + "Height", argument), layer, what, value.Height, minimum);
                }

                return value.Width >= minimum || Fail(layer.LocationOf(argument + "Width", argument), layer, what, value.Width, minimum);
            }

            private bool RequireAtLeast(LayerModel layer, string argument, string what, int value, int minimum)
            {
                return value >= minimum || Fail(layer.LocationOf(argument), layer, what, value, minimum);
            }

            private bool Fail(LocationInfo? location, LayerModel layer, string what, int value, int minimum)
            {
                Report(DiagnosticDescriptors.NonPositiveSize, location, layer.Kind.ToString(), layer.Name, what, Text(value), Text(minimum));
                return false;
            }

            private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
            }

            // A mismatch whose right value is known: the code fix writes it.
            private void ReportFixable(DiagnosticDescriptor descriptor, LocationInfo? location, string inferredValue, List<LocationInfo> sources, params string[] arguments)
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments) with
                {
                    InferredValue = inferredValue,
                    AdditionalLocations = sources.ToEquatableArray(),
                });
            }

            private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

            private static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        }
    }
}
