using System.Collections.Immutable;
using System.Globalization;
using ConvGen.Shapes;

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
    public double Eps { get; init; } = 1e-5;

    /// <summary>How far each training batch moves the running statistics, in [0, 1]; PyTorch's default 0.1.</summary>
    public double Momentum { get; init; } = 0.1;

    internal override string NamePrefix => "bn";

    internal override ActivationShape? Infer(ShapeWalk walk)
    {
        if (!walk.RequirePlanes() || (NumFeatures is int floor && !walk.RequireAtLeast("features", floor, 1)))
        {
            return null;
        }

        if (NumFeatures is int declared && declared != walk.Shape.Channels)
        {
            walk.Error($"declares {ShapeWalk.Text(declared)} features but receives {ShapeWalk.Text(walk.Shape.Channels)}: {walk.Derivation}");
        }

        // Written as "not inside the range" so that NaN fails too.
        if (!(Eps > 0 && Eps <= double.MaxValue))
        {
            return OutOfRange("Eps", Eps, "positive and finite");
        }

        return Momentum is >= 0 and <= 1 ? walk.Shape : OutOfRange("Momentum", Momentum, "in [0, 1]");

        ActivationShape? OutOfRange(string setting, double value, string rule)
        {
            walk.Error($"declares {setting} = {value.ToString("R", CultureInfo.InvariantCulture)}, but {setting} must be {rule}");
            return null;
        }
    }

    // PyTorch's reset_parameters: the identity, weight 1 and bias 0; running statistics a standard normal's, no batch seen.
    internal override ImmutableArray<ParameterTensor> Tensors(ActivationShape input)
    {
        ImmutableArray<long> features = [input.Channels];
        return
        [
            new ParameterTensor("weight", features, 0, IsBias: false, Constant: 1f),
            new ParameterTensor("bias", features, 0, IsBias: true, Constant: 0f),
            new ParameterTensor("running_mean", features, 0, IsBias: false, Constant: 0f, Trainable: false),
            new ParameterTensor("running_var", features, 0, IsBias: false, Constant: 1f, Trainable: false),
            new ParameterTensor("num_batches_tracked", [], 0, IsBias: false, Constant: 0f, Trainable: false, IsCount: true),
        ];
    }

    internal override Layer Resolved(LayerPlan plan) => this with { Name = plan.Name, NumFeatures = (int)plan.Input.Channels };

    internal override LayerRunner CreateRunner(LayerPlan plan, int batchCapacity) => new Runner(this, plan, batchCapacity);

    private sealed class Runner(BatchNorm2d layer, LayerPlan plan, int batchCapacity) : LayerRunner(plan, batchCapacity)
    {
        private readonly int channels = (int)plan.Input.Channels;
        private readonly int plane = (int)plan.Input.Positions;

        // The mean and 1/sqrt(var + eps) per channel of the last pass, the batch's or the running ones: what backward reads.
        private readonly float[] mean = new float[plan.Input.Channels];
        private readonly float[] inverseStd = new float[plan.Input.Channels];

        // Whether the last forward pass used the batch's statistics, which backward then differentiates.
        private bool trainingPass;

        // The buffers, in Tensors order after weight and bias.
        private ParameterInfo RunningMean => Plan.Parameters[2];

        private ParameterInfo RunningVariance => Plan.Parameters[3];

        private ParameterInfo BatchesTracked => Plan.Parameters[4];

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed)
        {
            trainingPass = training;
            if (training)
            {
                Kernels.BatchNorm2d.ForwardTraining(
                    input, Weight(parameters), Bias(parameters), Output, Buffer(bufferUpdates, RunningMean), Buffer(bufferUpdates, RunningVariance), mean, inverseStd,
                    batch, channels, plane, layer.Eps, layer.Momentum);
                Buffer(bufferUpdates, BatchesTracked)[0] += 1f;
            }
            else
            {
                Kernels.BatchNorm2d.ForwardEvaluation(
                    input, Weight(parameters), Bias(parameters), Output, Slice(parameters, RunningMean), Slice(parameters, RunningVariance), mean, inverseStd,
                    batch, channels, plane, layer.Eps);
            }
        }

        // The input gradient comes with the others, into the spare buffer, which always has room for it.
        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            Kernels.BatchNorm2d.Backward(
                input, gradient, Weight(parameters), mean, inverseStd, spare, WeightGradient(parameterGradients), BiasGradient(parameterGradients),
                batch, channels, plane, training: trainingPass);
            return true;
        }

        private static ReadOnlySpan<float> Slice(ReadOnlySpan<float> parameters, ParameterInfo buffer) => parameters.Slice(buffer.Offset, buffer.Length);

        private Span<float> Buffer(Span<float> bufferUpdates, ParameterInfo buffer) => bufferUpdates.Slice(buffer.Offset - Plan.BufferStart, buffer.Length);
    }
}
