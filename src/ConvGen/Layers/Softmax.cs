using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// What softmax and log-softmax share: a normalisation over dim 1 — the features of a flat vector, or the channels at
/// each position of <c>C x H x W</c> planes — that keeps the shape and has no parameters.
/// </summary>
public abstract record SoftmaxOverChannels : Layer
{
    // Only the two below: each is one pair of kernels.
    private protected SoftmaxOverChannels()
    {
    }

    /// <summary>Whether the layer gives the logarithm of the softmax.</summary>
    private protected abstract bool Log { get; }

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new Runner(plan, batchCapacity, Log);

    private sealed class Runner(PlannedLayer plan, int batchCapacity, bool log) : LayerRunner(plan, batchCapacity)
    {
        private readonly int channels = (int)plan.Output.Channels;

        private readonly int positions = (int)plan.Output.Positions;

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed)
        {
            if (log)
            {
                Kernels.ChannelSoftmax.LogForward(InputPrefix(input, batch), Output, batch, channels, positions);
            }
            else
            {
                Kernels.ChannelSoftmax.Forward(InputPrefix(input, batch), Output, batch, channels, positions);
            }
        }

        // From the output, in place.
        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            if (log)
            {
                Kernels.ChannelSoftmax.LogBackward(OutputPrefix(Output, batch), OutputPrefix(gradient, batch), batch, channels, positions);
            }
            else
            {
                Kernels.ChannelSoftmax.Backward(OutputPrefix(Output, batch), OutputPrefix(gradient, batch), batch, channels, positions);
            }

            return false;
        }
    }
}

/// <summary>Softmax over dim 1, as <c>torch.nn.Softmax(dim=1)</c>: <c>e^x_c / sum_k e^x_k</c> over the channels at each position.</summary>
public sealed record Softmax : SoftmaxOverChannels
{
    internal override LayerSpec Spec => new(LayerKind.Softmax) { Name = Name };

    private protected override bool Log => false;
}

/// <summary>Log-softmax over dim 1, as <c>torch.nn.LogSoftmax(dim=1)</c>: <c>x_c - log(sum_k e^x_k)</c>, without overflow.</summary>
public sealed record LogSoftmax : SoftmaxOverChannels
{
    internal override LayerSpec Spec => new(LayerKind.LogSoftmax) { Name = Name };

    private protected override bool Log => true;
}
