using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>Element-wise activations and their gradients; shapes pass through unchanged.</summary>
public static class Activations
{
    /// <summary><c>y = max(0, x)</c>.</summary>
    public static void ReluForward(ReadOnlySpan<float> input, Span<float> output) => TensorPrimitives.Max(input, 0f, output);

    /// <summary>
    /// In place: <c>dX = dY where y &gt; 0, else 0</c>, from the forward output y (PyTorch's choice of 0 as the gradient at 0).
    /// </summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> outputs = MemoryMarshal.Cast<float, Vector<float>>(output[..gradient.Length]);
            Span<Vector<float>> gradients = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            for (int v = 0; v < gradients.Length; v++)
            {
                // NaN compares false, so its gradient is zeroed as in the scalar rule below.
                gradients[v] = Vector.ConditionalSelect(Vector.GreaterThan(outputs[v], Vector<float>.Zero), gradients[v], Vector<float>.Zero);
            }

            i = gradients.Length * Vector<float>.Count;
        }

        for (; i < gradient.Length; i++)
        {
            if (!(output[i] > 0f))
            {
                gradient[i] = 0f;
            }
        }
    }

    /// <summary><c>y = x</c> where <c>x &gt; 0</c>, else <c>negativeSlope * x</c>, as <c>torch.nn.LeakyReLU</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LeakyReluForward(ReadOnlySpan<float> input, Span<float> output, float negativeSlope)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            output[i] = x > 0f ? x : negativeSlope * x;
        }
    }

    /// <summary>In place from the forward input x: <c>dX = dY</c> where <c>x &gt; 0</c>, else <c>negativeSlope * dY</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LeakyReluBackward(ReadOnlySpan<float> input, Span<float> gradient, float negativeSlope)
    {
        for (int i = 0; i < gradient.Length; i++)
        {
            if (!(input[i] > 0f))
            {
                gradient[i] *= negativeSlope;
            }
        }
    }

    /// <summary><c>y = x</c> where <c>x &gt; 0</c>, else <c>alpha * (e^x - 1)</c>, as <c>torch.nn.ELU</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EluForward(ReadOnlySpan<float> input, Span<float> output, float alpha)
    {
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
    public static unsafe void SigmoidForward(ReadOnlySpan<float> input, Span<float> output)
    {
        Span<float> target = output[..input.Length];
        fixed (float* source = input, destination = target)
        {
            ElementwisePass.Run(&LogisticFunction.Apply, source, destination, input.Length);
        }
    }

    /// <summary>In place from the forward output y: <c>dX = dY * y * (1 - y)</c>. Long spans are split between the cores.</summary>
    public static unsafe void SigmoidBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        ReadOnlySpan<float> y = output[..gradient.Length];
        fixed (float* source = y, destination = gradient)
        {
            ElementwisePass.Run(&SigmoidGradient, source, destination, gradient.Length);
        }
    }

    /// <summary><c>gradient[i] *= y[i] * (1 - y[i])</c> over <paramref name="length"/> values, on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void SigmoidGradient(float* output, float* gradient, int length)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> y = Vector.Load(output + i);
                (Vector.Load(gradient + i) * (y * (Vector<float>.One - y))).Store(gradient + i);
            }
        }

        for (; i < length; i++)
        {
            float y = output[i];
            gradient[i] *= y * (1f - y);
        }
    }

    /// <summary><c>y = tanh(x)</c>.</summary>
    public static void TanhForward(ReadOnlySpan<float> input, Span<float> output) => TensorPrimitives.Tanh(input, output);

    /// <summary>In place from the forward output y: <c>dX = dY * (1 - y^2)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        for (int i = 0; i < gradient.Length; i++)
        {
            float y = output[i];
            gradient[i] *= 1f - y * y;
        }
    }
}
