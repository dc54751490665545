using ConvGen.Kernels;
using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// Inverted dropout, as <c>torch.nn.Dropout</c>: in training, zeroes each value with probability p and scales the rest
/// by 1/(1-p); the identity in evaluation. The mask of a pass follows from its seed and the layer's index.
/// </summary>
/// <param name="Probability">p, in [0, 1).</param>
public sealed record Dropout(double Probability) : Layer
{
    internal override LayerSpec Spec => new(LayerKind.Dropout) { Name = Name, Probability = Probability };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new Runner(plan, batchCapacity, (float)Probability);

    private sealed class Runner(PlannedLayer plan, int batchCapacity, float probability) : LayerRunner(plan, batchCapacity)
    {
        // 0 or 1/(1-p) per value: the backward pass multiplies by it.
        private readonly float[] mask = new float[batchCapacity * plan.Output.Volume];

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed) =>
            Kernels.InvertedDropout.Forward(InputPrefix(input, batch), Output, mask, probability, training, RandomHash.Mix(seed, (ulong)Plan.Index));

        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            Kernels.InvertedDropout.Backward(mask, OutputPrefix(gradient, batch));
            return false;
        }
    }
}
