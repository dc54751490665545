using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// Fully connected layer, as <c>torch.nn.Linear</c>: <c>(N, in_features) -> (N, out_features)</c>, with a weight
/// <c>(out_features, in_features)</c> and a bias <c>(out_features)</c>. <c>new Linear(3136, 1024)</c>.
/// </summary>
/// <param name="InFeatures">The features the layer expects; checked against what flows into it.</param>
/// <param name="OutFeatures">The features it produces.</param>
public sealed record Linear(int InFeatures, int OutFeatures) : Layer
{
    /// <summary>Whether the layer adds a learned bias.</summary>
    public bool Bias { get; init; } = true;

    internal override LayerSpec Spec => new(LayerKind.Linear) { Name = Name, InFeatures = InFeatures, OutFeatures = OutFeatures, Bias = Bias };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new Runner(this, plan, batchCapacity);

    private sealed class Runner(Linear layer, PlannedLayer plan, int batchCapacity) : LayerRunner(plan, batchCapacity)
    {
        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed) =>
            Kernels.FullyConnected.Forward(input, Weight(parameters), Bias(parameters), Output, batch, layer.InFeatures, layer.OutFeatures);

        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            Kernels.FullyConnected.BackwardWeight(input, gradient, WeightGradient(parameterGradients), BiasGradient(parameterGradients), batch, layer.InFeatures, layer.OutFeatures);
            if (inputGradient)
            {
                Kernels.FullyConnected.BackwardInput(gradient, Weight(parameters), spare, batch, layer.InFeatures, layer.OutFeatures);
            }

            return inputGradient;
        }
    }
}
