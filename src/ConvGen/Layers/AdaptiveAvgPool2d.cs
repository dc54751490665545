using ConvGen.Kernels;
using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// Adaptive average pooling, as <c>torch.nn.AdaptiveAvgPool2d</c>: <c>(N, C, H, W) -> (N, C, H', W')</c>, output cell
/// <c>i</c> averaging input rows <c>[floor(i*H/H'), ceil((i+1)*H/H'))</c>. <c>new AdaptiveAvgPool2d(1)</c> is global pooling.
/// </summary>
/// <param name="OutputSize">H' x W', square or <c>(height, width)</c>.</param>
public sealed record AdaptiveAvgPool2d(AxisPair OutputSize) : Layer
{
    internal override LayerSpec Spec => new(LayerKind.AdaptiveAvgPool2d) { Name = Name, OutputSize = OutputSize };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new Runner(plan, batchCapacity);

    private sealed class Runner(PlannedLayer plan, int batchCapacity) : LayerRunner(plan, batchCapacity)
    {
        private readonly int channels = (int)plan.Input.Channels;
        private readonly int inputHeight = (int)plan.Input.Height, inputWidth = (int)plan.Input.Width;
        private readonly int outputHeight = (int)plan.Output.Height, outputWidth = (int)plan.Output.Width;

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed) =>
            AdaptivePooling.AverageForward(input, Output, batch * channels, inputHeight, inputWidth, outputHeight, outputWidth);

        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            AdaptivePooling.AverageBackward(gradient, spare, batch * channels, inputHeight, inputWidth, outputHeight, outputWidth);
            return true;
        }
    }
}
