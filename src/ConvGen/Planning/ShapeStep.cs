// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;
using ConvGen.Layers;
using ConvGen.Shapes;

namespace ConvGen.Planning
{
    /// <summary>
    /// What a layer's shape rule sees and can say: the shape flowing in, the derivation so far, the layer's kind and name
    /// for messages, the sites that decided the size and channels, and the checks every rule shares.
    /// </summary>
    internal sealed class ShapeStep
    {
        private readonly List<PlanDiagnostic> diagnostics;

        public ShapeStep(List<PlanDiagnostic> diagnostics)
        {
            this.diagnostics = diagnostics;
        }

        /// <summary>The shape flowing into the layer.</summary>
        public ActivationShape Shape { get; set; }

        /// <summary>The shapes so far: <c>1x8x8 -> conv1 16x8x8 -> flatten 1024</c>.</summary>
        public string Derivation { get; set; } = string.Empty;

        /// <summary>The layer's index.</summary>
        public int Layer { get; set; }

        /// <summary>The layer's PyTorch name, e.g. <c>Conv2d</c>.</summary>
        public string Kind { get; set; } = string.Empty;

        /// <summary>The layer's name, e.g. <c>conv1</c>.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The sites that decided the size flowing in: secondary locations of a size mismatch.</summary>
        public IReadOnlyList<PlanSite> SizeSources { get; set; } = new PlanSite[0];

        /// <summary>The sites that decided the channels flowing in.</summary>
        public IReadOnlyList<PlanSite> ChannelSources { get; set; } = new PlanSite[0];

        /// <summary>
        /// Whether the layer is inside a block: <see cref="Layer"/> is then the declaration that uses the block, and a
        /// problem belongs to that whole attribute (its arguments are the use's, not the layer's), with no code fix.
        /// </summary>
        public bool InBlock { get; set; }

        /// <summary>Reports a problem on this layer's <paramref name="argument"/>, else <paramref name="fallback"/>, else the whole layer.</summary>
        public void Report(string id, string? argument, string? fallback, params string[] arguments) =>
            diagnostics.Add(InBlock ? new PlanDiagnostic(id, Layer, null, null, arguments) : new PlanDiagnostic(id, Layer, argument, fallback, arguments));

        /// <summary>Reports a mismatch whose right value is known: a code fix writes <paramref name="inferred"/>.</summary>
        public void ReportFixable(string id, string argument, string inferred, IReadOnlyList<PlanSite> sources, params string[] arguments) =>
            diagnostics.Add(InBlock
                ? new PlanDiagnostic(id, Layer, null, null, arguments)
                : new PlanDiagnostic(id, Layer, argument, null, arguments) { InferredValue = inferred, Sources = sources });

        /// <summary>Whether <paramref name="value"/> is at least <paramref name="minimum"/>; reports it on <paramref name="argument"/> when not.</summary>
        public bool RequireAtLeast(LayerSpec layer, string argument, string what, int value, int minimum)
        {
            if (value >= minimum)
            {
                return true;
            }

            Report(DiagnosticIds.NonPositiveSize, argument, null, Kind, Name, what, NetworkPlanner.Text(value), NetworkPlanner.Text(minimum));
            return false;
        }

        /// <summary>Both axes of a per-axis size; a failing axis is reported on its own argument when written (<c>KernelHeight</c>), else the square one.</summary>
        public bool RequireAtLeast(LayerSpec layer, string argument, string what, AxisPair value, int minimum)
        {
            if (value.Height < minimum)
            {
                Report(DiagnosticIds.NonPositiveSize, argument + "Height", argument, Kind, Name, what, NetworkPlanner.Text(value.Height), NetworkPlanner.Text(minimum));
                return false;
            }

            if (value.Width < minimum)
            {
                Report(DiagnosticIds.NonPositiveSize, argument + "Width", argument, Kind, Name, what, NetworkPlanner.Text(value.Width), NetworkPlanner.Text(minimum));
                return false;
            }

            return true;
        }

        /// <summary>
        /// Both axes of a convolution or pooling window: output sizes, the kernel-too-large error and the unused-rows
        /// warning. A square window on a square input fits, or fails, alike on both axes: it is checked once, for "height and width".
        /// </summary>
        public ActivationShape? Window(LayerSpec layer, long channels, AxisPair padding, bool pooling)
        {
            if (Shape.IsSequence)
            {
                // A sequence's one axis is held as the width, and a Conv1d's window spans only that.
                long? length = SlidingWindow(layer, "length", "positions", "Width", Shape.Width, padding.Width, pooling);
                return length is null ? (ActivationShape?)null : ActivationShape.Sequence(channels, length.Value);
            }

            bool square = Shape.Height == Shape.Width && layer.Kernel.IsSquare && layer.Stride.IsSquare && padding.IsSquare && layer.Dilation.IsSquare;
            long? height = SlidingWindow(layer, square ? "height and width" : "height", square ? "rows and columns" : "rows", "Height", Shape.Height, padding.Height, pooling);
            long? width = square ? height : SlidingWindow(layer, "width", "columns", "Width", Shape.Width, padding.Width, pooling);
            return height is null || width is null ? (ActivationShape?)null : ActivationShape.Planes(channels, height.Value, width.Value);
        }

        // One axis of a window: output size, the kernel-too-large error and the unused-rows warning.
        private long? SlidingWindow(LayerSpec layer, string axis, string lines, string axisName, long input, int padding, bool pooling)
        {
            bool height = axisName == "Height";
            int kernel = height ? layer.Kernel.Height : layer.Kernel.Width;
            int stride = height ? layer.Stride.Height : layer.Stride.Width;
            int dilation = pooling ? 1 : height ? layer.Dilation.Height : layer.Dilation.Width;
            bool ceil = pooling && layer.CeilMode;
            long output = pooling
                ? ShapeRules.PoolingOutputSize(input, kernel, stride, padding, ceilMode: ceil)
                : ShapeRules.ConvolutionOutputSize(input, kernel, stride, padding, dilation);
            string kernelText = dilation == 1
                ? NetworkPlanner.Text(kernel)
                : NetworkPlanner.Text(kernel) + " dilated by " + NetworkPlanner.Text(dilation) + " to " + NetworkPlanner.Text(dilation * (kernel - 1L) + 1);
            if (output < 1)
            {
                Report(
                    DiagnosticIds.OutputSizeBelowOne, "Kernel" + axisName, "Kernel", Kind, Name, kernelText, axis, NetworkPlanner.Text(input + 2L * padding),
                    NetworkPlanner.Text(output), Derivation);
                return null;
            }

            // Ceil mode exists to cover the rows floor mode would leave over. A window narrower than its stride skips rows
            // between windows by design (ResNet's 1x1 stride-2 projection): the ones after the last are no different.
            bool subsamples = dilation * (kernel - 1L) + 1 < stride;
            long unused = ceil || subsamples ? 0 : ShapeRules.UnusedInputSize(input, kernel, stride, padding, dilation);
            if (unused > 0)
            {
                Report(
                    DiagnosticIds.StrideLeavesInputUnused, "Stride" + axisName, "Stride", Kind, Name, kernelText, NetworkPlanner.Text(stride), NetworkPlanner.Text(padding),
                    NetworkPlanner.Text(unused), lines, NetworkPlanner.Text(input), Derivation);
            }

            return output;
        }
    }
}
