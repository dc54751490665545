using ConvGen.Planning;
using ConvGen.Shapes;

namespace ConvGen.Layers;

/// <summary>
/// 2-D cross-correlation, as <c>torch.nn.Conv2d</c>: <c>(N, C_in, H, W) -> (N, C_out, H', W')</c>, with a weight
/// <c>(C_out, C_in/groups, kH, kW)</c> and a bias <c>(C_out)</c>. The same hyperparameters as the <c>[Conv2d]</c> attribute:
/// <c>new Conv2d(32) { Kernel = 5, Padding = 2 }</c>.
/// </summary>
/// <param name="OutChannels">C_out, the number of filters.</param>
public sealed record Conv2d(int OutChannels) : Layer
{
    /// <summary>C_in if declared, checked against what flows in; inferred when null.</summary>
    public int? InChannels { get; init; }

    /// <summary>Kernel size, square or <c>(height, width)</c>.</summary>
    public AxisPair Kernel { get; init; } = 1;

    /// <summary>Step between windows.</summary>
    public AxisPair Stride { get; init; } = 1;

    /// <summary>Zeros added on each side.</summary>
    public AxisPair Padding { get; init; } = 0;

    /// <summary>
    /// <c>"same"</c> (output as large as the input; stride 1 only; an even dilated kernel pads one more zero below and to
    /// the right, as PyTorch) or <c>"valid"</c> (no padding), instead of <see cref="Padding"/>.
    /// </summary>
    public string? PaddingMode { get; init; }

    /// <summary>Spacing between kernel taps.</summary>
    public AxisPair Dilation { get; init; } = 1;

    /// <summary>Groups of input channels convolved separately; must divide both C_in and C_out.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Whether the layer adds a learned bias per output channel.</summary>
    public bool Bias { get; init; } = true;

    internal override LayerSpec Spec => new(LayerKind.Conv2d)
    {
        Name = Name, OutChannels = OutChannels, InChannels = InChannels, Kernel = Kernel, Stride = Stride, Padding = Padding,
        WrittenPadding = Padding != 0 ? nameof(Padding) : null, PaddingMode = PaddingMode, Dilation = Dilation, Groups = Groups, Bias = Bias,
    };

    internal override Layer Resolved(PlannedLayer plan) => this with { Name = plan.Name, InChannels = (int)plan.Input.Channels };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => new ConvolutionRunner(plan, batchCapacity);

    /// <summary>
    /// The zeros added above and to the left (<c>Before</c>) and below and to the right (<c>After</c>), with
    /// <see cref="PaddingMode"/> resolved as PyTorch resolves it: <c>"valid"</c> none, <c>"same"</c> <c>d*(k-1)</c> in all per
    /// axis, the odd one after. What an exporter writes as explicit pads.
    /// </summary>
    public (AxisPair Before, AxisPair After) ResolvedPadding() => Spec.ResolvedPadding();
}
