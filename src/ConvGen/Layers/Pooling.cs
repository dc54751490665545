using ConvGen.Kernels;
using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// What max and average pooling share: a window moved over each plane, <c>(N, C, H, W) -> (N, C, H', W')</c>, with
/// PyTorch's stride (the window by default), padding (at most half the window) and ceil mode.
/// </summary>
/// <param name="Kernel">The window, square or <c>(height, width)</c>.</param>
public abstract record Pool2d(AxisPair Kernel) : Layer
{
    /// <summary>Step between windows; the window itself when null, PyTorch's default.</summary>
    public AxisPair? Stride { get; init; }

    /// <summary>Implicit padding on each side; at most half the window.</summary>
    public AxisPair Padding { get; init; } = 0;

    /// <summary>Round the output size up, as PyTorch's <c>ceil_mode=True</c>; a last window starting in the padding is dropped.</summary>
    public bool CeilMode { get; init; }

    /// <summary>The stride in force.</summary>
    public AxisPair EffectiveStride => Stride ?? Kernel;

    internal override Layer Resolved(PlannedLayer plan) => this with { Name = plan.Name, Stride = EffectiveStride };

    /// <summary>The layer as the planner reads it: the window, the stride in force, padding and ceil mode.</summary>
    private protected LayerSpec PoolSpec(LayerKind kind) => new(kind) { Name = Name, Kernel = Kernel, Stride = EffectiveStride, Padding = Padding, CeilMode = CeilMode };

    /// <summary>The kernels' description of this window over the planes of <paramref name="plan"/>.</summary>
    private protected PoolGeometry Geometry(PlannedLayer plan) => new(
        (int)plan.Input.Height, (int)plan.Input.Width, (int)plan.Output.Height, (int)plan.Output.Width,
        Kernel.Height, Kernel.Width, EffectiveStride.Height, EffectiveStride.Width, Padding.Height, Padding.Width);
}

/// <summary>Max pooling, as <c>torch.nn.MaxPool2d</c>; padding never wins. <c>new MaxPool2d(2)</c>.</summary>
/// <param name="Kernel">The window; the stride defaults to it.</param>
public sealed record MaxPool2d(AxisPair Kernel) : Pool2d(Kernel)
{
    internal override LayerSpec Spec => PoolSpec(LayerKind.MaxPool2d);

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new Runner(plan, batchCapacity, Geometry(plan));

    private sealed class Runner(PlannedLayer plan, int batchCapacity, PoolGeometry geometry) : LayerRunner(plan, batchCapacity)
    {
        // Where each output's maximum came from, within its plane: the backward pass routes the gradient there.
        private readonly int[] indices = new int[batchCapacity * plan.Output.Volume];
        private readonly int channels = (int)plan.Input.Channels;

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed) =>
            Pooling.MaxForward(input, Output, indices, batch * channels, geometry);

        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            // After a ReLU, windows whose maximum is not positive pass nothing back: the ReLU's backward pass too.
            Pooling.MaxBackward(gradient, indices, spare, batch * channels, geometry, pooledReluOutput: Plan.AppliesPreviousBackward == LayerKind.ReLU ? Output : default);
            return true;
        }
    }
}

/// <summary>Average pooling, as <c>torch.nn.AvgPool2d</c>. <c>new AvgPool2d(2)</c>.</summary>
/// <param name="Kernel">The window; the stride defaults to it.</param>
public sealed record AvgPool2d(AxisPair Kernel) : Pool2d(Kernel)
{
    /// <summary>
    /// Whether the zero padding counts in each window's divisor, as PyTorch's <c>count_include_pad</c> (true by default).
    /// False averages only the input values a window covers, so border outputs are not pulled towards zero.
    /// </summary>
    public bool CountIncludePad { get; init; } = true;

    internal override LayerSpec Spec => PoolSpec(LayerKind.AvgPool2d) with { CountIncludePad = CountIncludePad };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) =>
        new Runner(plan, batchCapacity, Geometry(plan) with { CountIncludePad = CountIncludePad });

    private sealed class Runner(PlannedLayer plan, int batchCapacity, PoolGeometry geometry) : LayerRunner(plan, batchCapacity)
    {
        private readonly int channels = (int)plan.Input.Channels;

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed) =>
            Pooling.AverageForward(input, Output, batch * channels, geometry);

        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            // After a sigmoid (whose output is this pool's input), its backward pass too.
            Pooling.AverageBackward(gradient, spare, batch * channels, geometry, sigmoidOutput: Plan.AppliesPreviousBackward == LayerKind.Sigmoid ? InputPrefix(input, batch) : default);
            return true;
        }
    }
}
