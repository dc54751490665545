using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>An element-wise activation: keeps the shape, has no parameters, computes through one kernel each way.</summary>
public abstract record Activation : Layer
{
    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new Runner(this, plan, batchCapacity);

    /// <summary>The forward kernel over <paramref name="input"/>, into <paramref name="output"/>.</summary>
    private protected abstract void Forward(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>The backward kernel: <paramref name="gradient"/> from <c>dLoss/dOutput</c> to <c>dLoss/dInput</c> in place.</summary>
    private protected abstract void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> gradient);

    private sealed class Runner(Activation layer, PlannedLayer plan, int batchCapacity) : LayerRunner(plan, batchCapacity)
    {
        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed)
        {
            if (!Plan.AppliedByPrevious)
            {
                layer.Forward(InputPrefix(input, batch), Output);
            }
        }

        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            if (!Plan.BackwardAppliedByNext)
            {
                // Done by the convolution before, the activation's output is that convolution's buffer, its input here.
                ReadOnlySpan<float> output = Plan.AppliedByPrevious ? InputPrefix(input, batch) : OutputPrefix(Output, batch);
                layer.Backward(InputPrefix(input, batch), output, OutputPrefix(gradient, batch));
            }

            return false;
        }
    }
}

/// <summary>Rectified linear unit, <c>max(0, x)</c>, as <c>torch.nn.ReLU</c>.</summary>
public sealed record ReLU : Activation
{
    internal override LayerSpec Spec => new(LayerKind.ReLU) { Name = Name };

    private protected override void Forward(ReadOnlySpan<float> input, Span<float> output) => Kernels.Activations.ReluForward(input, output);

    private protected override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> gradient) => Kernels.Activations.ReluBackward(output, gradient);
}

/// <summary>Leaky rectifier, as <c>torch.nn.LeakyReLU</c>: <c>x</c> where positive, else <c>NegativeSlope * x</c>.</summary>
public sealed record LeakyReLU : Activation
{
    /// <summary>The slope for negative inputs; PyTorch's default 0.01.</summary>
    public double NegativeSlope { get; init; } = LayerDefaults.NegativeSlope;

    internal override LayerSpec Spec => new(LayerKind.LeakyReLU) { Name = Name, NegativeSlope = NegativeSlope };

    private protected override void Forward(ReadOnlySpan<float> input, Span<float> output) =>
        Kernels.Activations.LeakyReluForward(input, output, (float)NegativeSlope);

    // From the input: with a negative slope the output's sign no longer tells the side.
    private protected override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> gradient) =>
        Kernels.Activations.LeakyReluBackward(input, gradient, (float)NegativeSlope);
}

/// <summary>Exponential linear unit, as <c>torch.nn.ELU</c>: <c>x</c> where positive, else <c>Alpha * (e^x - 1)</c>.</summary>
public sealed record ELU : Activation
{
    /// <summary>The output tends to <c>-Alpha</c> for large negative inputs; PyTorch's default 1.0.</summary>
    public double Alpha { get; init; } = LayerDefaults.EluAlpha;

    internal override LayerSpec Spec => new(LayerKind.ELU) { Name = Name, Alpha = Alpha };

    private protected override void Forward(ReadOnlySpan<float> input, Span<float> output) => Kernels.Activations.EluForward(input, output, (float)Alpha);

    // From the input, as LeakyReLU's: the output alone does not tell the side when alpha is 0.
    private protected override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> gradient) =>
        Kernels.Activations.EluBackward(input, gradient, (float)Alpha);
}

/// <summary>Logistic sigmoid, <c>1 / (1 + e^-x)</c>, as <c>torch.nn.Sigmoid</c>.</summary>
public sealed record Sigmoid : Activation
{
    internal override LayerSpec Spec => new(LayerKind.Sigmoid) { Name = Name };

    private protected override void Forward(ReadOnlySpan<float> input, Span<float> output) => Kernels.Activations.SigmoidForward(input, output);

    private protected override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> gradient) => Kernels.Activations.SigmoidBackward(output, gradient);
}

/// <summary>Hyperbolic tangent, as <c>torch.nn.Tanh</c>.</summary>
public sealed record Tanh : Activation
{
    internal override LayerSpec Spec => new(LayerKind.Tanh) { Name = Name };

    private protected override void Forward(ReadOnlySpan<float> input, Span<float> output) => Kernels.Activations.TanhForward(input, output);

    private protected override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> gradient) => Kernels.Activations.TanhBackward(output, gradient);
}
