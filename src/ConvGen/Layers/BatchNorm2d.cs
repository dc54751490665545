using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// Batch normalisation, as <c>torch.nn.BatchNorm2d</c> (affine, tracking running statistics): per channel
/// <c>y = (x - mean) / sqrt(var + Eps) * weight + bias</c>; keeps the <c>C x H x W</c> shape. Training normalises with the
/// batch's statistics and moves the running ones; evaluation uses the running ones. Learned: <c>weight</c> and
/// <c>bias</c>; buffers, after every learned value of the network: <c>running_mean</c>, <c>running_var</c>,
/// <c>num_batches_tracked</c>. <c>new BatchNorm2d()</c>, or <c>new BatchNorm2d(16) { Momentum = 0.3 }</c>.
/// </summary>
/// <param name="NumFeatures">C, PyTorch's <c>num_features</c>, checked against the channels received; inferred when null.</param>
public sealed record BatchNorm2d(int? NumFeatures = null) : Layer
{
    /// <summary>Added to the variance before the square root; PyTorch's default 1e-5. Must be positive.</summary>
    public double Eps { get; init; } = LayerDefaults.BatchNormEps;

    /// <summary>How far each training batch moves the running statistics, in [0, 1]; PyTorch's default 0.1.</summary>
    public double Momentum { get; init; } = LayerDefaults.BatchNormMomentum;

    internal override LayerSpec Spec => new(LayerKind.BatchNorm2d) { Name = Name, NumFeatures = NumFeatures, Eps = Eps, Momentum = Momentum };

    internal override Layer Resolved(PlannedLayer plan) => this with { Name = plan.Name, NumFeatures = (int)plan.Input.Channels };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new Runner(this, plan, batchCapacity);

    private sealed class Runner(BatchNorm2d layer, PlannedLayer plan, int batchCapacity) : LayerRunner(plan, batchCapacity)
    {
        private readonly int channels = (int)plan.Input.Channels;
        private readonly int plane = (int)plan.Input.Positions;

        // The mean and 1/sqrt(var + eps) per channel of the last pass, the batch's or the running ones: what backward reads.
        private readonly float[] mean = new float[plan.Input.Channels];
        private readonly float[] inverseStd = new float[plan.Input.Channels];

        // Whether the last forward pass used the batch's statistics, which backward then differentiates.
        private bool trainingPass;

        // The buffers, in the catalogue's order after weight and bias.
        private const int RunningMean = 2, RunningVariance = 3, BatchesTracked = 4;

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed)
        {
            trainingPass = training;
            if (training)
            {
                Kernels.BatchNormalization.ForwardTraining(
                    input, Weight(parameters), Bias(parameters), Output, Tensor(bufferUpdates, RunningMean, Plan.BufferStart), Tensor(bufferUpdates, RunningVariance, Plan.BufferStart), mean, inverseStd,
                    batch, channels, plane, layer.Eps, layer.Momentum, relu: Plan.AppliesFollowing == LayerKind.ReLU);
                Tensor(bufferUpdates, BatchesTracked, Plan.BufferStart)[0] += 1f;
            }
            else
            {
                Kernels.BatchNormalization.ForwardEvaluation(
                    input, Weight(parameters), Bias(parameters), Output, Tensor(parameters, RunningMean), Tensor(parameters, RunningVariance), mean, inverseStd,
                    batch, channels, plane, layer.Eps, relu: Plan.AppliesFollowing == LayerKind.ReLU);
            }
        }

        // The input gradient comes with the others, into the spare buffer, which always has room for it.
        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            Kernels.BatchNormalization.Backward(
                input, gradient, Weight(parameters), mean, inverseStd, spare, WeightGradient(parameterGradients), BiasGradient(parameterGradients),
                batch, channels, plane, training: trainingPass);
            return true;
        }
    }
}
