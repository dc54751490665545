using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// The explicit L2 penalty of notebook 002, <c>loss + lambda * sum(p^2)</c> over every parameter, biases included:
/// a term of the loss, so its gradient <c>2 lambda p</c> joins the loss's gradient before any optimizer sees it.
/// </summary>
public static class L2Penalty
{
    /// <summary>Adds <c>2 lambda p</c> to <paramref name="gradients"/> (as long as <paramref name="parameters"/>) and returns <c>lambda * sum(p^2)</c>.</summary>
    public static float AddTo(ReadOnlySpan<float> parameters, Span<float> gradients, float lambda)
    {
        using var timing = KernelProfiler.Time("L2Penalty.AddTo", parameters.Length);
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException($"L2Penalty: {parameters.Length} parameters but {gradients.Length} gradients.", nameof(gradients));
        }

        float penalty = lambda * TensorPrimitives.SumOfSquares(parameters);
        TensorPrimitives.MultiplyAdd(parameters, 2f * lambda, gradients, gradients);
        return penalty;
    }
}
