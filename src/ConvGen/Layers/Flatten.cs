using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>Flattens <c>(N, C, H, W)</c> to <c>(N, C*H*W)</c>: a view of its input, nothing computed or copied.</summary>
public sealed record Flatten : Layer
{
    internal override LayerSpec Spec => new(LayerKind.Flatten) { Name = Name };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new Runner(plan, batchCapacity);

    private sealed class Runner(PlannedLayer plan, int batchCapacity) : LayerRunner(plan, batchCapacity)
    {
        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed)
        {
            // A view: the next layer reads this layer's input.
        }

        // The gradient passes through unchanged.
        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient) => false;
    }
}
