using System.Collections.Immutable;
using ConvGen.Kernels;
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

    internal override string NamePrefix => "conv";

    /// <summary>Whether this runs a <see cref="Conv1d"/>: over a <c>C x 1 x L</c> sequence with a <c>1 x k</c> kernel, as the generator runs one.</summary>
    internal bool OverSequence { get; init; }

    internal override ActivationShape? Infer(ShapeWalk walk)
    {
        ActivationShape input = walk.Shape;
        if (!(OverSequence ? walk.RequireSequence() : walk.RequirePlanes())
            || !walk.RequireAtLeast("out-channels", OutChannels, 1)
            || !walk.RequireAtLeast("kernel", Kernel, 1)
            || !walk.RequireAtLeast("stride", Stride, 1)
            || !walk.RequireAtLeast("padding", Padding, 0)
            || !walk.RequireAtLeast("dilation", Dilation, 1)
            || !walk.RequireAtLeast("groups", Groups, 1))
        {
            return null;
        }

        if (InChannels is int declared && declared != input.Channels)
        {
            walk.Error($"declares {ShapeWalk.Text(declared)} in-channels but receives {ShapeWalk.Text(input.Channels)}: {walk.Derivation}");
        }

        if (input.Channels % Groups != 0 || OutChannels % Groups != 0)
        {
            bool inputChannels = input.Channels % Groups != 0;
            walk.Error($"declares {ShapeWalk.Text(Groups)} groups, which do not divide its {ShapeWalk.Text(inputChannels ? input.Channels : OutChannels)} {(inputChannels ? "in-channels" : "out-channels")}: {walk.Derivation}");
            return null;
        }

        switch (PaddingMode)
        {
            case null:
                return walk.Window(OutChannels, Kernel, Stride, Padding, Dilation, pooling: false, ceilMode: false);
            case not ("same" or "valid"):
                walk.Error($"declares PaddingMode \"{PaddingMode}\": PaddingMode must be \"same\" or \"valid\"");
                return null;
            case var _ when Padding != 0:
                walk.Error($"declares PaddingMode \"{PaddingMode}\": PaddingMode replaces Padding; declare one or the other");
                return null;
            case "valid":
                return walk.Window(OutChannels, Kernel, Stride, padding: 0, Dilation, pooling: false, ceilMode: false);
            case var _ when Stride != 1:
                walk.Error($"declares PaddingMode \"same\" with stride {(OverSequence ? ShapeWalk.Text(Stride.Width) : Stride.ToString())}, but PyTorch allows \"same\" only with stride 1");
                return null;
            default:
                WarnIfAsymmetric(walk);
                return input with { Channels = OutChannels };
        }
    }

    internal override ImmutableArray<ParameterTensor> Tensors(ActivationShape input)
    {
        ImmutableArray<long> weight = [OutChannels, input.Channels / Groups, Kernel.Height, Kernel.Width];
        long fanIn = weight[1] * weight[2] * weight[3];
        var weightTensor = new ParameterTensor("weight", weight, fanIn, IsBias: false);
        return Bias ? [weightTensor, new ParameterTensor("bias", [OutChannels], fanIn, IsBias: true)] : [weightTensor];
    }

    // C_out*H'*W' outputs of (C_in/groups)*kH*kW multiply-adds each.
    internal override long MultiplyAdds(LayerPlan plan) => plan.Output.Volume * (plan.Input.Channels / Groups) * Kernel.Height * Kernel.Width;

    internal override ReceptiveField Widen(ReceptiveField field, LayerPlan plan) =>
        Through(field, Dilation.Height * (Kernel.Height - 1L) + 1, Dilation.Width * (Kernel.Width - 1L) + 1, Stride.Height, Stride.Width);

    internal override Layer Resolved(LayerPlan plan) => this with { Name = plan.Name, InChannels = (int)plan.Input.Channels };

    internal override LayerRunner CreateRunner(LayerPlan plan, int batchCapacity) => new Runner(plan, batchCapacity, Resolve(plan));

    /// <summary>Whether this layer runs on the fast kernel, which can apply a following ReLU or sigmoid as it writes.</summary>
    internal bool CanApplyActivation(LayerPlan plan) => !OverSequence && !Resolve(plan).NeedsGeneralKernel;

    /// <summary>
    /// The zeros added above and to the left (<c>Before</c>) and below and to the right (<c>After</c>), with
    /// <see cref="PaddingMode"/> resolved as PyTorch resolves it: <c>"valid"</c> none, <c>"same"</c> <c>d*(k-1)</c> in all per
    /// axis, the odd one after. What an exporter writes as explicit pads.
    /// </summary>
    public (AxisPair Before, AxisPair After) ResolvedPadding()
    {
        switch (PaddingMode)
        {
            case "valid":
                return (0, 0);
            case "same":
                ShapeRules.SamePadding(Kernel.Height, Dilation.Height, out long top, out long bottom);
                ShapeRules.SamePadding(Kernel.Width, Dilation.Width, out long left, out long right);
                return (((int)top, (int)left), ((int)bottom, (int)right));
            default:
                return (Padding, Padding);
        }
    }

    // The kernels' geometry: padding "same" resolved to what goes before, "valid" to none.
    private (Conv2dGeometry Geometry, bool NeedsGeneralKernel) Resolve(LayerPlan plan)
    {
        (AxisPair before, AxisPair after) = ResolvedPadding();
        bool asymmetric = before != after;

        var geometry = new Conv2dGeometry(
            (int)plan.Input.Channels, (int)plan.Input.Height, (int)plan.Input.Width,
            (int)plan.Output.Channels, (int)plan.Output.Height, (int)plan.Output.Width,
            Kernel.Height, Kernel.Width, Stride.Height, Stride.Width, before.Height, before.Width,
            Dilation.Height, Dilation.Width, Groups);
        // The implicit-GEMM kernel when it applies; the direct loops for dilation, groups or more padding after than before.
        return (geometry, asymmetric || geometry.NeedsGeneralKernel);
    }

    // 'same' pads d*(k-1) zeros in all; when that is odd, PyTorch puts the extra one after (below, to the right).
    private void WarnIfAsymmetric(ShapeWalk walk)
    {
        ShapeRules.SamePadding(Kernel.Height, Dilation.Height, out long top, out long bottom);
        ShapeRules.SamePadding(Kernel.Width, Dilation.Width, out long left, out long right);
        bool rows = top != bottom, columns = left != right;
        if (!rows && !columns)
        {
            return;
        }

        long effectiveHeight = Dilation.Height * (Kernel.Height - 1L) + 1, effectiveWidth = Dilation.Width * (Kernel.Width - 1L) + 1;
        string kernel = OverSequence || effectiveHeight == effectiveWidth ? ShapeWalk.Text(effectiveWidth) : $"{ShapeWalk.Text(effectiveHeight)}x{ShapeWalk.Text(effectiveWidth)}";
        string axis = OverSequence ? "length" : rows && columns ? "height and width" : rows ? "height" : "width";
        walk.Warning($"with PaddingMode \"same\" and a dilated kernel of {kernel} pads {ShapeWalk.Text(rows ? top : left)} before and {ShapeWalk.Text(rows ? bottom : right)} after along its {axis}: the extra zero goes {(OverSequence ? "at the end" : "below and to the right")}, as in PyTorch");
    }

    private sealed class Runner(LayerPlan plan, int batchCapacity, (Conv2dGeometry Geometry, bool General) kernel) : LayerRunner(plan, batchCapacity)
    {
        private readonly Conv2dGeometry geometry = kernel.Geometry;

        public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed)
        {
            if (kernel.General)
            {
                Conv2dGeneral.Forward(input, Weight(parameters), Bias(parameters), Output, batch, geometry);
            }
            else
            {
                Kernels.Conv2d.Forward(input, Weight(parameters), Bias(parameters), Output, batch, geometry, relu: Plan.AppliesFollowingRelu, sigmoid: Plan.AppliesFollowingSigmoid);
            }
        }

        public override bool Backward(
            ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
        {
            if (kernel.General)
            {
                Conv2dGeneral.BackwardWeight(input, gradient, WeightGradient(parameterGradients), BiasGradient(parameterGradients), batch, geometry);
                if (inputGradient)
                {
                    Conv2dGeneral.BackwardInput(gradient, Weight(parameters), spare, batch, geometry);
                }
            }
            else
            {
                Kernels.Conv2d.BackwardWeight(input, gradient, WeightGradient(parameterGradients), BiasGradient(parameterGradients), batch, geometry);
                if (inputGradient)
                {
                    Kernels.Conv2d.BackwardInput(gradient, Weight(parameters), spare, batch, geometry);
                }
            }

            return inputGradient;
        }
    }
}
