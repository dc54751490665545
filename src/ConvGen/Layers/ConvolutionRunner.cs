using ConvGen.Kernels;
using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// A planned <see cref="Conv2d"/> or <see cref="Conv1d"/> (a height-1 one) in a workspace: the implicit-GEMM kernel, which
/// can write the following ReLU or sigmoid itself, or the direct-loop kernel for dilation, groups or more padding after
/// than before — the planner's choice, the generated code's calls.
/// </summary>
internal sealed class ConvolutionRunner(PlannedLayer plan, int batchCapacity) : LayerRunner(plan, batchCapacity)
{
    private readonly Conv2dGeometry geometry = new(
        (int)plan.Input.Channels, (int)plan.Input.Height, (int)plan.Input.Width,
        (int)plan.Output.Channels, (int)plan.Output.Height, (int)plan.Output.Width,
        plan.Spec.Kernel.Height, plan.Spec.Kernel.Width, plan.Spec.Stride.Height, plan.Spec.Stride.Width,
        plan.PaddingBefore.Height, plan.PaddingBefore.Width, plan.Spec.Dilation.Height, plan.Spec.Dilation.Width, plan.Spec.Groups);

    public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed)
    {
        if (Plan.UsesGeneralKernel)
        {
            Conv2dGeneral.Forward(input, Weight(parameters), Bias(parameters), Output, batch, geometry);
        }
        else
        {
            Kernels.Convolution.Forward(
                input, Weight(parameters), Bias(parameters), Output, batch, geometry,
                relu: Plan.AppliesFollowing == LayerKind.ReLU, sigmoid: Plan.AppliesFollowing == LayerKind.Sigmoid);
        }
    }

    public override bool Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient)
    {
        if (Plan.UsesGeneralKernel)
        {
            Conv2dGeneral.BackwardWeight(input, gradient, WeightGradient(parameterGradients), BiasGradient(parameterGradients), batch, geometry);
            if (inputGradient)
            {
                Conv2dGeneral.BackwardInput(gradient, Weight(parameters), spare, batch, geometry);
            }
        }
        else
        {
            Kernels.Convolution.BackwardWeight(input, gradient, WeightGradient(parameterGradients), BiasGradient(parameterGradients), batch, geometry);
            if (inputGradient)
            {
                Kernels.Convolution.BackwardInput(gradient, Weight(parameters), spare, batch, geometry);
            }
        }

        return inputGradient;
    }
}
