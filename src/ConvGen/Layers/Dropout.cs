using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Shapes;

namespace ConvGen.Layers;

/// <summary>
/// Inverted dropout, as <c>torch.nn.Dropout</c>: in training, zeroes each value with probability p and scales the rest
/// by 1/(1-p); the identity in evaluation. The mask of a pass follows from its seed and the layer's index.
/// </summary>
/// <param name="Probability">p, in [0, 1).</param>
public sealed record Dropout(double Probability) : Layer
{
    internal override string NamePrefix => "dropout";

    internal override ActivationShape? Infer(ShapeWalk walk)
    {
        // The kernels run in float32: a p just under 1 that rounds to 1f would scale the kept values by 1/0.
        if (Probability >= 0 && Probability < 1 && (float)Probability < 1f)
        {
            return walk.Shape;
        }

        string rounding = Probability < 1 && (float)Probability >= 1f ? " (1 in float32)" : string.Empty;
        walk.Error($"declares p = {Probability.ToString("R", CultureInfo.InvariantCulture)}{rounding}, but p must be in [0, 1)");
        return null;
    }

    internal override LayerRunner CreateRunner(LayerPlan plan, int batchCapacity) => new Runner(plan, batchCapacity, (float)Probability);

    private sealed class Runner(LayerPlan plan, int batchCapacity, float probability) : LayerRunner(plan, batchCapacity)
    {
        // 0 or 1/(1-p) per value: the backward pass multiplies by it.
        private readonly float[] mask = new float[batchCapacity * plan.Output.Volume];

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed) =>
            Kernels.Dropout.Forward(InputPrefix(input, batch), Output, mask, probability, training, RandomHash.Mix(seed, (ulong)Plan.Index));

        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            Kernels.Dropout.Backward(mask, OutputPrefix(gradient, batch));
            return false;
        }
    }
}
