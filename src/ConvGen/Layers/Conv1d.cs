using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// 1-D cross-correlation over a <c>C x L</c> sequence, as <c>torch.nn.Conv1d</c>: <c>(N, C_in, L) -> (N, C_out, L')</c>,
/// with a weight <c>(C_out, C_in/groups, k)</c> and a bias <c>(C_out)</c>. It runs as the generator runs it, a
/// <see cref="Conv2d"/> over <c>C x 1 x L</c> with a <c>1 x k</c> kernel: the same rules, messages and kernels.
/// <c>new Conv1d(16) { Kernel = 3, Padding = 1 }</c>, in a network created with a <c>(channels, length)</c> input.
/// </summary>
/// <param name="OutChannels">C_out, the number of filters.</param>
public sealed record Conv1d(int OutChannels) : Layer
{
    /// <summary>C_in if declared, checked against what flows in; inferred when null.</summary>
    public int? InChannels { get; init; }

    /// <summary>Kernel size.</summary>
    public int Kernel { get; init; } = 1;

    /// <summary>Step between windows.</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Zeros added at each end.</summary>
    public int Padding { get; init; }

    /// <summary><c>"same"</c> (stride 1 only; an even dilated kernel pads one more zero at the end, as PyTorch) or <c>"valid"</c>, instead of <see cref="Padding"/>.</summary>
    public string? PaddingMode { get; init; }

    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; init; } = 1;

    /// <summary>Groups of input channels convolved separately; must divide both C_in and C_out.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Whether the layer adds a learned bias per output channel.</summary>
    public bool Bias { get; init; } = true;

    internal override LayerSpec Spec => new(LayerKind.Conv1d)
    {
        Name = Name, OutChannels = OutChannels, InChannels = InChannels, Kernel = (1, Kernel), Stride = (1, Stride), Padding = (0, Padding),
        WrittenPadding = Padding != 0 ? nameof(Padding) : null, PaddingMode = PaddingMode, Dilation = (1, Dilation), Groups = Groups, Bias = Bias,
    };

    /// <summary>The zeros added at the start and at the end, with <see cref="PaddingMode"/> resolved as PyTorch resolves it (<c>"same"</c>: the odd one at the end).</summary>
    public (int Before, int After) ResolvedPadding()
    {
        (AxisPair before, AxisPair after) = Spec.ResolvedPadding();
        return (before.Width, after.Width);
    }

    internal override Layer Resolved(PlannedLayer plan) => this with { Name = plan.Name, InChannels = (int)plan.Input.Channels };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new ConvolutionRunner(plan, batchCapacity);
}
