using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// Inverted dropout, as <c>torch.nn.Dropout</c>. The mask comes from a counter-based hash of (seed, position),
/// so it depends only on the seed the caller passes in: no hidden generator state, the same on any thread count.
/// </summary>
public static class InvertedDropout
{
    /// <summary>
    /// Training: <c>y = x * m</c> with <c>m = 1/(1-p)</c> with probability 1-p, else 0, kept in <paramref name="mask"/>.
    /// Evaluation: <c>y = x</c>.
    /// </summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> mask, float probability, bool training, ulong seed)
    {
        using var timing = KernelProfiler.Time("InvertedDropout.Forward", input.Length);
        if (!training || probability == 0f)
        {
            input.CopyTo(output);
            mask[..input.Length].Fill(1f);
            return;
        }

        int keep = BitConverter.SingleToInt32Bits(1f / (1f - probability));
        // Compare 24-bit uniform integers so the threshold is exact in float.
        uint threshold = (uint)Math.Round(probability * (1 << 24));
        for (int i = 0; i < input.Length; i++)
        {
            uint draw = (uint)(RandomHash.Mix(seed, (ulong)i) >> 40);
            // Without a branch: at p = 0.5 one would be mispredicted every other value.
            mask[i] = BitConverter.Int32BitsToSingle(keep & -(draw >= threshold ? 1 : 0));
        }

        TensorPrimitives.Multiply(input, mask[..input.Length], output);
    }

    /// <summary>In place: <c>dX = dY * m</c>.</summary>
    public static void Backward(ReadOnlySpan<float> mask, Span<float> gradient)
    {
        using var timing = KernelProfiler.Time("InvertedDropout.Backward", gradient.Length);
        TensorPrimitives.Multiply(gradient, mask[..gradient.Length], gradient);
    }
}
