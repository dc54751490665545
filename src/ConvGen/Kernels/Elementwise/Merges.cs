using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// Where branches meet: a residual unit's addition (with the ReLU after it, fused), a concatenation along the channels,
/// and the backward passes of both (a value read twice receives the sum of both gradients; a concatenation splits its
/// gradient). Activations are NCHW per sample. The element-wise merges split long spans between the cores; each value
/// depends on its own inputs only, so results are the same on any core count.
/// </summary>
public static unsafe class Merges
{
    /// <summary><c>output = first + second</c>, element by element.</summary>
    public static void Add(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> output)
    {
        using var timing = KernelProfiler.Time("Merges.Add", first.Length);
        ElementwiseLoop.Map(default(Sum), first, second, output[..first.Length], acrossCores: true);
    }

    /// <summary><c>output = max(0, first + second)</c>: a residual addition and the ReLU after it in one pass over the output.</summary>
    public static void AddRelu(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> output)
    {
        using var timing = KernelProfiler.Time("Merges.AddRelu", first.Length);
        ElementwiseLoop.Map(default(SumRelu), first, second, output[..first.Length], acrossCores: true);
    }

    /// <summary><c>sum += gradient</c>: a second reader's gradient joins the first's.</summary>
    public static void Accumulate(Span<float> sum, ReadOnlySpan<float> gradient)
    {
        using var timing = KernelProfiler.Time("Merges.Accumulate", gradient.Length);
        ElementwiseLoop.Map(default(Sum), sum[..gradient.Length], gradient, sum[..gradient.Length], acrossCores: true);
    }

    /// <summary>
    /// <c>sum = reluOutput &gt; 0 ? sum + gradient : 0</c>: a second reader's gradient joins the first's, and the ReLU
    /// that made the value passes the sum back; bit for bit <see cref="Accumulate"/> then <see cref="Activations.ReluBackward"/>,
    /// in one pass over the sum instead of two (a residual unit's output read by the next unit's branch and shortcut).
    /// </summary>
    public static void AccumulateReluBackward(Span<float> sum, ReadOnlySpan<float> gradient, ReadOnlySpan<float> reluOutput)
    {
        using var timing = KernelProfiler.Time("Merges.AccumulateReluBackward", gradient.Length);
        if (sum.Length < gradient.Length || reluOutput.Length < gradient.Length)
        {
            throw new ArgumentException($"Adding {gradient.Length} gradient values through a ReLU needs as many sums and ReLU outputs, not {sum.Length} and {reluOutput.Length}.");
        }

        fixed (float* total = sum, addend = gradient, output = reluOutput)
        {
            ElementwiseLoop.Run(new SumThroughRelu(total, addend, output), gradient.Length, acrossCores: true);
        }
    }

    /// <summary>
    /// Copies each sample's <paramref name="partSize"/> values of one branch into the concatenation's sample of
    /// <paramref name="outputSize"/> values, starting at <paramref name="offset"/> (the channels of the branches before it times the plane).
    /// </summary>
    public static void ConcatForward(ReadOnlySpan<float> part, Span<float> output, int batch, int partSize, int outputSize, int offset)
    {
        using var timing = KernelProfiler.Time("Merges.ConcatForward", "{0} x {1} of {2} values", batch, partSize, outputSize);
        for (int n = 0; n < batch; n++)
        {
            part.Slice(n * partSize, partSize).CopyTo(output.Slice(n * outputSize + offset, partSize));
        }
    }

    /// <summary>
    /// One branch's slice of a concatenation's gradient: written to <paramref name="partGradient"/>, or added to what it
    /// holds when <paramref name="accumulate"/> (the branch's input is read by another node too).
    /// </summary>
    public static void ConcatBackward(ReadOnlySpan<float> gradient, Span<float> partGradient, int batch, int partSize, int outputSize, int offset, bool accumulate)
    {
        using var timing = KernelProfiler.Time("Merges.ConcatBackward", "{0} x {1} of {2} values", batch, partSize, outputSize);
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> source = gradient.Slice(n * outputSize + offset, partSize);
            Span<float> destination = partGradient.Slice(n * partSize, partSize);
            if (accumulate)
            {
                Accumulate(destination, source);
            }
            else
            {
                source.CopyTo(destination);
            }
        }
    }

    // Accumulate's sum and ReluBackward's mask, the same lane rules, on each register once.
    private readonly struct SumThroughRelu(float* sum, float* gradient, float* output) : IElementwiseKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TLanes, TVector>(int index)
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            TVector total = default(Sum).Invoke<TLanes, TVector>(TLanes.Load(sum + index), TLanes.Load(gradient + index));
            TLanes.Store(sum + index, default(ReluGradient).Invoke<TLanes, TVector>(TLanes.Load(output + index), total));
        }
    }
}
