using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// Inverted dropout, as <c>torch.nn.Dropout</c>. The mask comes from a counter-based hash of (seed, position),
/// so it depends only on the seed the caller passes in: no hidden generator state, the same on any thread count.
/// </summary>
public static class Dropout
{
    /// <summary>
    /// Training: <c>y = x * m</c> with <c>m = 1/(1-p)</c> with probability 1-p, else 0, kept in <paramref name="mask"/>.
    /// Evaluation: <c>y = x</c>.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> mask, float probability, bool training, ulong seed)
    {
        if (!training || probability == 0f)
        {
            input.CopyTo(output);
            mask[..input.Length].Fill(1f);
            return;
        }

        float keep = 1f / (1f - probability);
        // Compare 24-bit uniform integers so the threshold is exact in float.
        uint threshold = (uint)Math.Round(probability * (1 << 24));
        for (int i = 0; i < input.Length; i++)
        {
            uint draw = (uint)(RandomHash.Mix(seed, (ulong)i) >> 40);
            mask[i] = draw < threshold ? 0f : keep;
        }

        TensorPrimitives.Multiply(input, mask[..input.Length], output);
    }

    /// <summary>In place: <c>dX = dY * m</c>.</summary>
    public static void Backward(ReadOnlySpan<float> mask, Span<float> gradient) => TensorPrimitives.Multiply(gradient, mask[..gradient.Length], gradient);
}
