using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>Element-wise activations and their gradients; shapes pass through unchanged.</summary>
public static class Activations
{
    /// <summary><c>y = max(0, x)</c>.</summary>
    public static void ReluForward(ReadOnlySpan<float> input, Span<float> output) => TensorPrimitives.Max(input, 0f, output);

    /// <summary>
    /// In place: <c>dX = dY where y &gt; 0, else 0</c>, from the forward output y (PyTorch's choice of 0 as the gradient at 0).
    /// </summary>
    public static void ReluBackward(ReadOnlySpan<float> output, Span<float> gradient)
    {
        for (int i = 0; i < gradient.Length; i++)
        {
            if (!(output[i] > 0f))
            {
                gradient[i] = 0f;
            }
        }
    }
}
