namespace ConvGen.Kernels;

/// <summary>One element-wise loss term <c>l(x, y)</c> and its derivative in x, for <see cref="PointwiseLoss"/>.</summary>
internal interface IPointwiseLoss
{
    /// <summary>The loss of one element, in double so that sums of many stay accurate.</summary>
    static abstract double Loss(float input, float target);

    /// <summary><c>dl/dx</c> at one element.</summary>
    static abstract float Gradient(float input, float target);
}

/// <summary>
/// The shared driver of the element-wise losses (MSE, BCE, BCE with logits): input and target have the same shape,
/// any shape, and every element is one term of the <see cref="Reduction"/>.
/// </summary>
internal static class PointwiseLoss
{
    /// <summary>
    /// The loss of <paramref name="input"/> against <paramref name="target"/>; with a non-empty <paramref name="inputGradient"/>
    /// also <c>d(result)/d(input)</c> (for <see cref="Reduction.None"/>, of <c>sum_i outputGradient_i * loss_i</c>).
    /// </summary>
    public static float Run<TLoss>(
        string name, ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> inputGradient,
        Reduction reduction, ReadOnlySpan<float> outputGradient, Span<float> losses, bool withGradient)
        where TLoss : IPointwiseLoss
    {
        using var timing = KernelProfiler.Time(name, withGradient ? "{0} values, with gradient" : "{0} values", input.Length);
        if (target.Length != input.Length)
        {
            throw new ArgumentException($"{name}: the input has {input.Length} values but the target has {target.Length}; they must have the same shape.", nameof(target));
        }

        if (withGradient && inputGradient.Length < input.Length)
        {
            throw new ArgumentException($"{name}: the input has {input.Length} values but the gradient span holds {inputGradient.Length}.", nameof(inputGradient));
        }

        var reduce = new LossReduction(name, reduction, input.Length, losses, outputGradient, withGradient);
        for (int i = 0; i < input.Length; i++)
        {
            reduce.Add(i, TLoss.Loss(input[i], target[i]));
            if (withGradient)
            {
                inputGradient[i] = reduce.GradientWeight(i) * TLoss.Gradient(input[i], target[i]);
            }
        }

        return reduce.Result;
    }
}
