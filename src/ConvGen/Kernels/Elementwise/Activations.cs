using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>Element-wise activations and their gradients; shapes pass through unchanged.</summary>
public static class Activations
{
    /// <summary><c>y = max(0, x)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluForward(ReadOnlySpan<float> input, Span<float> output)
    {
        using var timing = KernelProfiler.Time("Activations.ReluForward", input.Length);
        ElementwiseLoop.Map(default(Relu), input, output[..input.Length], acrossCores: true);
    }

    /// <summary>
    /// In place: <c>dX = dY where y &gt; 0, else 0</c>, from the forward output y (PyTorch's choice of 0 as the gradient at 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        using var timing = KernelProfiler.Time("Activations.ReluBackward", gradient.Length);
        ElementwiseLoop.Map(default(ReluGradient), output[..gradient.Length], gradient, gradient, acrossCores: true);
    }

    /// <summary><c>y = x</c> where <c>x &gt; 0</c>, else <c>negativeSlope * x</c>, as <c>torch.nn.LeakyReLU</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LeakyReluForward(ReadOnlySpan<float> input, Span<float> output, float negativeSlope)
    {
        using var timing = KernelProfiler.Time("Activations.LeakyReluForward", input.Length);
        ElementwiseLoop.Map(new LeakyRelu(negativeSlope), input, output[..input.Length]);
    }

    /// <summary>In place from the forward input x: <c>dX = dY</c> where <c>x &gt; 0</c>, else <c>negativeSlope * dY</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LeakyReluBackward(ReadOnlySpan<float> input, Span<float> gradient, float negativeSlope)
    {
        using var timing = KernelProfiler.Time("Activations.LeakyReluBackward", gradient.Length);
        ElementwiseLoop.Map(new LeakyReluGradient(negativeSlope), input[..gradient.Length], gradient, gradient);
    }

    /// <summary><c>y = x</c> where <c>x &gt; 0</c>, else <c>alpha * (e^x - 1)</c>, as <c>torch.nn.ELU</c>.</summary>
    // ELU stays a scalar loop: e^x in double has no lane form that gives the same bits.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EluForward(ReadOnlySpan<float> input, Span<float> output, float alpha)
    {
        using var timing = KernelProfiler.Time("Activations.EluForward", input.Length);
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            // expm1 as PyTorch computes it: accurate near 0, where e^x - 1 would cancel.
            output[i] = x > 0f ? x : alpha * (float)ExpMinusOne(x);
        }
    }

    /// <summary>In place from the forward input x: <c>dX = dY</c> where <c>x &gt; 0</c>, else <c>alpha * e^x * dY</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EluBackward(ReadOnlySpan<float> input, Span<float> gradient, float alpha)
    {
        using var timing = KernelProfiler.Time("Activations.EluBackward", gradient.Length);
        for (int i = 0; i < gradient.Length; i++)
        {
            float x = input[i];
            if (!(x > 0f))
            {
                gradient[i] *= alpha * MathF.Exp(x);
            }
        }
    }

    // e^x - 1 without cancellation for small x, in double: exact to float32 after rounding.
    private static double ExpMinusOne(float x) => Math.Abs(x) < 1e-5f ? x + 0.5 * x * (double)x : Math.Exp(x) - 1.0;

    /// <summary>
    /// <c>y = 1 / (1 + e^-x)</c>, within a few units in the last place (<see cref="LogisticFunction"/>). Long spans are
    /// split between the cores (each value is computed alone, the same way wherever it falls, so the split changes nothing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidForward(ReadOnlySpan<float> input, Span<float> output)
    {
        using var timing = KernelProfiler.Time("Activations.SigmoidForward", input.Length);
        ElementwiseLoop.Map(default(LogisticFunction), input, output[..input.Length], acrossCores: true);
    }

    /// <summary>In place from the forward output y: <c>dX = dY * y * (1 - y)</c>. Long spans are split between the cores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        using var timing = KernelProfiler.Time("Activations.SigmoidBackward", gradient.Length);
        ElementwiseLoop.Map(default(SigmoidGradient), output[..gradient.Length], gradient, gradient, acrossCores: true);
    }

    /// <summary><c>gradient[i] *= y[i] * (1 - y[i])</c> over <paramref name="length"/> values, on this thread.</summary>
    internal static unsafe void SigmoidGradient(float* output, float* gradient, int length) =>
        ElementwiseLoop.Map(default(SigmoidGradient), new ReadOnlySpan<float>(output, length), new ReadOnlySpan<float>(gradient, length), new Span<float>(gradient, length));

    /// <summary><c>y = tanh(x)</c>.</summary>
    public static void TanhForward(ReadOnlySpan<float> input, Span<float> output)
    {
        using var timing = KernelProfiler.Time("Activations.TanhForward", input.Length);
        TensorPrimitives.Tanh(input, output);
    }

    /// <summary>In place from the forward output y: <c>dX = dY * (1 - y^2)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        using var timing = KernelProfiler.Time("Activations.TanhBackward", gradient.Length);
        ElementwiseLoop.Map(default(TanhGradient), output[..gradient.Length], gradient, gradient);
    }
}
