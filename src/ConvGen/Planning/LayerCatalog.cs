// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System;
using System.Collections.Generic;
using ConvGen.Layers;
using ConvGen.Networks;
using ConvGen.Shapes;

namespace ConvGen.Planning
{
    /// <summary>
    /// The layer catalogue: one <see cref="LayerEntry"/> per <see cref="LayerKind"/>. A new kind is an attribute, a run-time
    /// layer value, an entry here, its kernels, and its emission template and runner.
    /// </summary>
    internal static class LayerCatalog
    {
        private static readonly Dictionary<LayerKind, LayerEntry> Entries = Build();

        /// <summary>The entry of <paramref name="kind"/>.</summary>
        public static LayerEntry Of(LayerKind kind) => Entries[kind];

        /// <summary>Every entry, in <see cref="LayerKind"/> order.</summary>
        public static IEnumerable<LayerEntry> All => Entries.Values;

        private static Dictionary<LayerKind, LayerEntry> Build()
        {
            var entries = new[]
            {
                Convolution(LayerKind.Conv2d, InputKind.Planes),
                // Held as a height-1 Conv2d; PyTorch's weight is (out, in/groups, k), the same values.
                Convolution(LayerKind.Conv1d, InputKind.Sequence),
                Pooling(LayerKind.MaxPool2d, LayerKind.ReLU),
                Pooling(LayerKind.AvgPool2d, LayerKind.Sigmoid),
                new LayerEntry(LayerKind.AdaptiveAvgPool2d, "AdaptiveAvgPool2d", "pool", InputKind.Planes)
                {
                    // Global pooling is adaptive pooling to 1x1, as in PyTorch.
                    Attributes = new[] { "AdaptiveAvgPool2dAttribute", "GlobalAvgPool2dAttribute" },
                    Shape = (step, layer) =>
                        step.RequireAtLeast(layer, "OutputHeight", "output height", layer.OutputSize.Height, 1)
                        && step.RequireAtLeast(layer, "OutputWidth", "output width", layer.OutputSize.Width, 1)
                            ? ActivationShape.Planes(step.Shape.Channels, layer.OutputSize.Height, layer.OutputSize.Width)
                            : (ActivationShape?)null,
                    // Windows vary: the widest one, and the smallest step between window starts.
                    Widen = (field, _, input, output) => field.Through(
                        ShapeRules.AdaptiveWidestWindow(input.Height, output.Height), ShapeRules.AdaptiveWidestWindow(input.Width, output.Width),
                        Math.Max(1, input.Height / output.Height), Math.Max(1, input.Width / output.Width)),
                    DecidesSize = true,
                    Backward = BackwardTarget.Apart,
                },
                Activation(LayerKind.ReLU, "relu"),
                Activation(LayerKind.LeakyReLU, "leakyrelu"),
                Activation(LayerKind.Sigmoid, "sigmoid"),
                Activation(LayerKind.Tanh, "tanh"),
                Activation(LayerKind.ELU, "elu"),
                Activation(LayerKind.Softmax, "softmax"),
                Activation(LayerKind.LogSoftmax, "logsoftmax"),
                new LayerEntry(LayerKind.Flatten, "Flatten", "flatten", InputKind.Any)
                {
                    Shape = (step, _) => ActivationShape.Features(step.Shape.Volume),
                    IsView = true,
                    JoinsSize = true,
                },
                new LayerEntry(LayerKind.Linear, "Linear", "fc", InputKind.Flat)
                {
                    Shape = LinearShape,
                    Tensors = (layer, _) => WeightAndBias(new long[] { layer.OutFeatures, layer.InFeatures }, layer.OutFeatures, layer.Bias),
                    MultiplyAdds = (layer, _, _) => (long)layer.InFeatures * layer.OutFeatures,
                    Backward = BackwardTarget.ApartWhenNeeded,
                    DecidesSize = true,
                    SizeArgument = "OutFeatures",
                },
                new LayerEntry(LayerKind.Dropout, "Dropout", "dropout", InputKind.Any)
                {
                    Shape = (step, layer) =>
                    {
                        // Written as "not inside the range" so that NaN fails too; and checked as the float the kernel gets: a p that
                        // rounds to 1f would scale the kept values by 1/0.
                        if (layer.Probability >= 0 && layer.Probability < 1 && (float)layer.Probability < 1f)
                        {
                            return step.Shape;
                        }

                        string rounding = layer.Probability < 1 && (float)layer.Probability >= 1f ? " (1 in float32)" : string.Empty;
                        step.Report(DiagnosticIds.DropoutProbabilityOutOfRange, "Probability", null, step.Name, NetworkPlanner.Real(layer.Probability) + rounding);
                        return null;
                    },
                },
                new LayerEntry(LayerKind.BatchNorm2d, "BatchNorm2d", "bn", InputKind.Planes)
                {
                    Shape = BatchNormShape,
                    Tensors = BatchNormTensors,
                    Backward = BackwardTarget.Apart,
                    // The normalisation writes max(0, y) into the ReLU's buffer: one pass fewer.
                    AppliesFollowing = new[] { LayerKind.ReLU },
                },
                // Merges: the planner walks their blocks and checks what they join (NetworkPlanner's graph walk), not Shape.
                new LayerEntry(LayerKind.Residual, "Residual", "res", InputKind.Any)
                {
                    Attributes = new[] { "ResidualAttribute`1", "ResidualAttribute`2" },
                    DecidesSize = true,
                    // The addition writes max(0, a + b) into the ReLU's buffer: one pass fewer.
                    AppliesFollowing = new[] { LayerKind.ReLU },
                },
                new LayerEntry(LayerKind.Concat, "Concat", "cat", InputKind.Any)
                {
                    Attributes = new[] { "ConcatAttribute`2", "ConcatAttribute`3" },
                    DecidesSize = true,
                },
            };
            var byKind = new Dictionary<LayerKind, LayerEntry>();
            foreach (LayerEntry entry in entries)
            {
                byKind.Add(entry.Kind, entry);
            }

            return byKind;
        }

        private static LayerEntry Activation(LayerKind kind, string prefix) => new LayerEntry(kind, kind.ToString(), prefix, InputKind.Any);

        private static LayerEntry Convolution(LayerKind kind, InputKind input) => new LayerEntry(kind, kind.ToString(), "conv", input)
        {
            Shape = ConvolutionShape,
            Tensors = (layer, received) =>
            {
                long[] weight = kind == LayerKind.Conv1d
                    ? new long[] { layer.OutChannels, received.Channels / layer.Groups, layer.Kernel.Width }
                    : new long[] { layer.OutChannels, received.Channels / layer.Groups, layer.Kernel.Height, layer.Kernel.Width };
                return WeightAndBias(weight, layer.OutChannels, layer.Bias);
            },
            // C_out*H'*W' outputs of (C_in/groups)*kH*kW multiply-adds each.
            MultiplyAdds = (layer, received, output) => output.Volume * (received.Channels / layer.Groups) * layer.Kernel.Height * layer.Kernel.Width,
            Widen = (field, layer, _, _) => field.Through(
                layer.Dilation.Height * (layer.Kernel.Height - 1L) + 1, layer.Dilation.Width * (layer.Kernel.Width - 1L) + 1, layer.Stride.Height, layer.Stride.Width),
            DecidesSize = true,
            ChannelArgument = "OutChannels",
            Backward = BackwardTarget.ApartWhenNeeded,
            AppliesFollowing = kind == LayerKind.Conv2d ? new[] { LayerKind.ReLU, LayerKind.Sigmoid } : new LayerKind[0],
        };

        private static LayerEntry Pooling(LayerKind kind, LayerKind activationBefore) => new LayerEntry(kind, kind.ToString(), "pool", InputKind.Planes)
        {
            Shape = PoolingShape,
            Widen = (field, layer, _, _) => field.Through(layer.Kernel.Height, layer.Kernel.Width, layer.Stride.Height, layer.Stride.Width),
            DecidesSize = true,
            Backward = BackwardTarget.Apart,
            AppliesPreviousBackward = activationBefore,
        };

        // Weight (fan-in: every dimension after the first), then the bias when there is one, drawn from the same fan-in.
        private static IReadOnlyList<TensorSpec> WeightAndBias(long[] weight, long outputs, bool bias)
        {
            long fanIn = 1;
            for (int i = 1; i < weight.Length; i++)
            {
                fanIn *= weight[i];
            }

            var weightTensor = new TensorSpec("weight", weight, fanIn, IsBias: false);
            return bias ? new[] { weightTensor, new TensorSpec("bias", new[] { outputs }, fanIn, IsBias: true) } : new[] { weightTensor };
        }

        // PyTorch's reset_parameters: the identity, weight 1 and bias 0; running statistics a standard normal's, no batch seen.
        private static IReadOnlyList<TensorSpec> BatchNormTensors(LayerSpec layer, ActivationShape received)
        {
            long[] features = { received.Channels };
            return new[]
            {
                new TensorSpec("weight", features, 0, IsBias: false, Constant: 1f),
                new TensorSpec("bias", features, 0, IsBias: true, Constant: 0f),
                new TensorSpec("running_mean", features, 0, IsBias: false, Constant: 0f, Trainable: false),
                new TensorSpec("running_var", features, 0, IsBias: false, Constant: 1f, Trainable: false),
                new TensorSpec("num_batches_tracked", new long[0], 0, IsBias: false, Constant: 0f, Trainable: false, IsCount: true),
            };
        }

        private static ActivationShape? ConvolutionShape(ShapeStep step, LayerSpec layer)
        {
            ActivationShape shape = step.Shape;
            if (!step.RequireAtLeast(layer, "OutChannels", "out-channels", layer.OutChannels, 1)
                || !step.RequireAtLeast(layer, "Kernel", "kernel", layer.Kernel, 1)
                || !step.RequireAtLeast(layer, "Stride", "stride", layer.Stride, 1)
                || !step.RequireAtLeast(layer, "Padding", "padding", layer.Padding, 0)
                || !step.RequireAtLeast(layer, "Dilation", "dilation", layer.Dilation, 1)
                || !step.RequireAtLeast(layer, "Groups", "groups", layer.Groups, 1))
            {
                return null;
            }

            if (layer.InChannels is int declared && declared != shape.Channels)
            {
                step.ReportFixable(
                    DiagnosticIds.InChannelsMismatch, "InChannels", NetworkPlanner.Text(shape.Channels), step.ChannelSources,
                    step.Kind, step.Name, NetworkPlanner.Text(declared), NetworkPlanner.Text(shape.Channels), step.Derivation);
            }

            if (shape.Channels % layer.Groups != 0 || layer.OutChannels % layer.Groups != 0)
            {
                bool input = shape.Channels % layer.Groups != 0;
                step.Report(
                    DiagnosticIds.GroupsDoNotDivideChannels, "Groups", null, step.Kind, step.Name, NetworkPlanner.Text(layer.Groups),
                    NetworkPlanner.Text(input ? shape.Channels : layer.OutChannels), input ? "in-channels" : "out-channels", step.Derivation);
                return null;
            }

            if (layer.PaddingMode is null)
            {
                return step.Window(layer, layer.OutChannels, layer.Padding, pooling: false);
            }

            if (layer.PaddingMode != "same" && layer.PaddingMode != "valid")
            {
                step.Report(DiagnosticIds.InvalidPaddingMode, "PaddingMode", null, step.Kind, step.Name, layer.PaddingMode, "PaddingMode must be \"same\" or \"valid\"");
                return null;
            }

            if (layer.WrittenPadding is not null)
            {
                step.Report(
                    DiagnosticIds.InvalidPaddingMode, "PaddingMode", null, step.Kind, step.Name, layer.PaddingMode,
                    "PaddingMode replaces " + layer.WrittenPadding + "; declare one or the other");
                return null;
            }

            if (layer.PaddingMode == "valid")
            {
                return step.Window(layer, layer.OutChannels, 0, pooling: false);
            }

            if (layer.Stride.Height != 1 || layer.Stride.Width != 1)
            {
                step.Report(DiagnosticIds.SamePaddingWithStride, "PaddingMode", null, step.Kind, step.Name, layer.SizeText(layer.Stride));
                return null;
            }

            WarnIfAsymmetric(step, layer);
            return shape with { Channels = layer.OutChannels };
        }

        // 'same' pads d*(k-1) zeros in all; when that is odd, PyTorch puts the extra one after (below, to the right).
        private static void WarnIfAsymmetric(ShapeStep step, LayerSpec layer)
        {
            ShapeRules.SamePadding(layer.Kernel.Height, layer.Dilation.Height, out long top, out long bottom);
            ShapeRules.SamePadding(layer.Kernel.Width, layer.Dilation.Width, out long left, out long right);
            bool rows = top != bottom, columns = left != right;
            if (!rows && !columns)
            {
                return;
            }

            long effectiveHeight = layer.Dilation.Height * (layer.Kernel.Height - 1L) + 1, effectiveWidth = layer.Dilation.Width * (layer.Kernel.Width - 1L) + 1;
            bool sequence = layer.IsSequenceLayer;
            string kernel = sequence || effectiveHeight == effectiveWidth ? NetworkPlanner.Text(effectiveWidth) : NetworkPlanner.Text(effectiveHeight) + "x" + NetworkPlanner.Text(effectiveWidth);
            string axis = sequence ? "length" : rows && columns ? "height and width" : rows ? "height" : "width";
            step.Report(
                DiagnosticIds.AsymmetricSamePadding, "PaddingMode", null, step.Kind, step.Name, kernel, NetworkPlanner.Text(rows ? top : left), NetworkPlanner.Text(rows ? bottom : right), axis,
                sequence ? "at the end" : "below and to the right");
        }

        private static ActivationShape? PoolingShape(ShapeStep step, LayerSpec layer)
        {
            if (!step.RequireAtLeast(layer, "Kernel", "kernel", layer.Kernel, 1)
                || !step.RequireAtLeast(layer, "Stride", "stride", layer.Stride, 1)
                || !step.RequireAtLeast(layer, "Padding", "padding", layer.Padding, 0))
            {
                return null;
            }

            bool heightFits = ShapeRules.IsPoolingPaddingValid(layer.Kernel.Height, layer.Padding.Height);
            if (!heightFits || !ShapeRules.IsPoolingPaddingValid(layer.Kernel.Width, layer.Padding.Width))
            {
                step.Report(
                    DiagnosticIds.PoolingPaddingTooLarge, heightFits ? "PaddingWidth" : "PaddingHeight", "Padding", step.Kind, step.Name, layer.Padding.ToString(), layer.Kernel.ToString(),
                    NetworkPlanner.Text((heightFits ? layer.Kernel.Width : layer.Kernel.Height) / 2));
                return null;
            }

            return step.Window(layer, step.Shape.Channels, layer.Padding, pooling: true);
        }

        private static ActivationShape? LinearShape(ShapeStep step, LayerSpec layer)
        {
            if (!step.RequireAtLeast(layer, "InFeatures", "in-features", layer.InFeatures, 1)
                || !step.RequireAtLeast(layer, "OutFeatures", "out-features", layer.OutFeatures, 1))
            {
                return null;
            }

            if (layer.InFeatures != step.Shape.Channels)
            {
                step.ReportFixable(
                    DiagnosticIds.LinearInFeaturesMismatch, "InFeatures", NetworkPlanner.Text(step.Shape.Channels), step.SizeSources,
                    step.Name, NetworkPlanner.Text(layer.InFeatures), NetworkPlanner.Text(step.Shape.Channels), step.Derivation);
            }

            return ActivationShape.Features(layer.OutFeatures);
        }

        // Keeps the shape; the features, when declared, must be the channels received.
        private static ActivationShape? BatchNormShape(ShapeStep step, LayerSpec layer)
        {
            if (layer.NumFeatures is int declared)
            {
                if (!step.RequireAtLeast(layer, "NumFeatures", "features", declared, 1))
                {
                    return null;
                }

                if (declared != step.Shape.Channels)
                {
                    step.ReportFixable(
                        DiagnosticIds.BatchNormFeaturesMismatch, "NumFeatures", NetworkPlanner.Text(step.Shape.Channels), step.ChannelSources,
                        step.Name, NetworkPlanner.Text(declared), NetworkPlanner.Text(step.Shape.Channels), step.Derivation);
                }
            }

            // Written as "not inside the range" so that NaN fails too.
            if (!(layer.Eps > 0 && layer.Eps <= double.MaxValue))
            {
                step.Report(DiagnosticIds.BatchNormSettingOutOfRange, "Eps", null, step.Name, "Eps", NetworkPlanner.Real(layer.Eps), "positive and finite");
                return null;
            }

            if (!(layer.Momentum >= 0 && layer.Momentum <= 1))
            {
                step.Report(DiagnosticIds.BatchNormSettingOutOfRange, "Momentum", null, step.Name, "Momentum", NetworkPlanner.Real(layer.Momentum), "in [0, 1]");
                return null;
            }

            return step.Shape;
        }
    }
}
