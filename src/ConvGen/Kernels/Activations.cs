using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    /// <summary><c>y = 1 / (1 + e^-x)</c>.</summary>
    public static void SigmoidForward(ReadOnlySpan<float> input, Span<float> output) => TensorPrimitives.Sigmoid(input, output);

    /// <summary>In place from the forward output y: <c>dX = dY * y * (1 - y)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SigmoidBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        for (int i = 0; i < gradient.Length; i++)
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
