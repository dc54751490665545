using System.Collections.Immutable;

namespace ConvGen.Layers;

/// <summary>
/// The passes a <see cref="Sequential"/> merges, exactly where the generator merges them, so the two stay bit-identical
/// and equally fast: a convolution on the implicit-GEMM kernel followed by a ReLU writes <c>max(0, x)</c> itself (one
/// pass over the activations and one buffer fewer), and a max pool after a ReLU applies the ReLU's backward pass as it
/// routes the gradients (one pass fewer on the way back); likewise a convolution followed by a sigmoid, and an average
/// pool after a sigmoid.
/// </summary>
internal static class LayerFusion
{
    public static ImmutableArray<LayerPlan> Fuse(ImmutableArray<LayerPlan> plans)
    {
        LayerPlan[] fused = [.. plans];
        for (int i = 0; i + 1 < fused.Length; i++)
        {
            bool relu = fused[i + 1].Layer is ReLU, sigmoid = fused[i + 1].Layer is Sigmoid;
            if (!relu && !sigmoid)
            {
                continue;
            }

            if (fused[i].Layer is Conv2d convolution && convolution.CanApplyActivation(fused[i]))
            {
                fused[i] = fused[i] with { AppliesFollowingRelu = relu, AppliesFollowingSigmoid = sigmoid };
                fused[i + 1] = fused[i + 1] with { AppliedByPrevious = true };
            }

            if (i + 2 < fused.Length && (relu ? fused[i + 2].Layer is MaxPool2d : fused[i + 2].Layer is AvgPool2d))
            {
                fused[i + 1] = fused[i + 1] with { BackwardAppliedByNext = true };
                fused[i + 2] = fused[i + 2] with { AppliesPreviousReluBackward = relu, AppliesPreviousSigmoidBackward = sigmoid };
            }
        }

        return [.. fused];
    }
}
