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
}
