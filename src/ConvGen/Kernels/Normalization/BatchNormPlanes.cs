using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Kernels;

/// <summary>
/// The fused passes over one <c>H*W</c> plane that <see cref="BatchNormalization"/> is made of, each reading its inputs once
/// (batch norm is bound by memory, not arithmetic). The maps go through <see cref="ElementwiseLoop"/>; the sums keep
/// <see cref="Vector{T}"/> lanes where SIMD is accelerated, the same arithmetic scalar otherwise, since a sum's bits
/// depend on its lane count. Sums run in float lanes over blocks of <see cref="Block"/> values and add up in double,
/// so their error does not grow with the plane.
/// </summary>
internal static class BatchNormPlanes
{
    private const int Block = 1024;

    /// <summary><c>sum(x)</c>.</summary>
    public static double Sum(ReadOnlySpan<float> input)
    {
        double total = 0;
        for (int start = 0; start < input.Length; start += Block)
        {
            total += TensorPrimitives.Sum(input[start..Math.Min(start + Block, input.Length)]);
        }

        return total;
    }

    /// <summary><c>sum((x - mean)^2)</c>.</summary>
    public static double SquaredDeviations(ReadOnlySpan<float> input, float mean)
    {
        double total = 0;
        ref float x = ref MemoryMarshal.GetReference(input);
        for (int start = 0; start < input.Length; start += Block)
        {
            int end = Math.Min(start + Block, input.Length), i = start;
            float sum = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var means = new Vector<float>(mean);
                Vector<float> lanes = Vector<float>.Zero;
                for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector<float> deviation = Vector.LoadUnsafe(ref x, (nuint)i) - means;
                    lanes += deviation * deviation;
                }

                sum = Vector.Sum(lanes);
            }

            for (; i < end; i++)
            {
                float deviation = Unsafe.Add(ref x, i) - mean;
                sum += deviation * deviation;
            }

            total += sum;
        }

        return total;
    }

    /// <summary><c>sum(dY)</c> and <c>sum(dY * (x - mean))</c> in one pass.</summary>
    public static (double Sum, double Dot) GradientSums(ReadOnlySpan<float> gradient, ReadOnlySpan<float> input, float mean)
    {
        CheckLengths(input.Length, gradient.Length);
        double totalSum = 0, totalDot = 0;
        ref float x = ref MemoryMarshal.GetReference(input), dy = ref MemoryMarshal.GetReference(gradient);
        for (int start = 0; start < input.Length; start += Block)
        {
            int end = Math.Min(start + Block, input.Length), i = start;
            float sum = 0, dot = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var means = new Vector<float>(mean);
                Vector<float> sums = Vector<float>.Zero, dots = Vector<float>.Zero;
                for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector<float> g = Vector.LoadUnsafe(ref dy, (nuint)i);
                    sums += g;
                    dots += g * (Vector.LoadUnsafe(ref x, (nuint)i) - means);
                }

                sum = Vector.Sum(sums);
                dot = Vector.Sum(dots);
            }

            for (; i < end; i++)
            {
                float g = Unsafe.Add(ref dy, i);
                sum += g;
                dot += g * (Unsafe.Add(ref x, i) - mean);
            }

            totalSum += sum;
            totalDot += dot;
        }

        return (totalSum, totalDot);
    }

    /// <summary><c>y = x * scale + shift</c>, or with <paramref name="relu"/> <c>max(x * scale + shift, 0)</c>: bit for bit the ReLU of the plain result.</summary>
    public static void ScaleAndShift(ReadOnlySpan<float> input, float scale, float shift, Span<float> output, bool relu)
    {
        if (relu)
        {
            ElementwiseLoop.Map(new ScaledAndShiftedRelu(scale, shift), input, output);
        }
        else
        {
            ElementwiseLoop.Map(new ScaledAndShifted(scale, shift), input, output);
        }
    }

    /// <summary><c>dX = dY * gain + (x - mean) * deviationFactor + offset</c>.</summary>
    public static void InputGradient(
        ReadOnlySpan<float> gradient, ReadOnlySpan<float> input, float mean, float gain, float deviationFactor, float offset, Span<float> inputGradient) =>
        ElementwiseLoop.Map(new NormalizedInputGradient(mean, gain, deviationFactor, offset), gradient, input, inputGradient);

    // The unchecked loads and stores above rely on equal lengths.
    private static void CheckLengths(int input, int other)
    {
        if (other != input)
        {
            throw new ArgumentException($"A plane of {input} values needs as many in every span, not {other}.");
        }
    }
}

/// <summary><c>y = x * scale + shift</c>, for <see cref="ElementwiseLoop"/>.</summary>
internal readonly struct ScaledAndShifted(float scale, float shift) : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector input)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged =>
        TLanes.Add(TLanes.Multiply(input, TLanes.Broadcast(scale)), TLanes.Broadcast(shift));
}

/// <summary><c>y = max(x * scale + shift, 0)</c>, the ReLU as <see cref="Relu"/> takes it, for <see cref="ElementwiseLoop"/>.</summary>
internal readonly struct ScaledAndShiftedRelu(float scale, float shift) : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector input)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged =>
        default(Relu).Invoke<TLanes, TVector>(new ScaledAndShifted(scale, shift).Invoke<TLanes, TVector>(input));
}

/// <summary><c>dX = dY * gain + (x - mean) * deviationFactor + offset</c> (x: dY, y: x), for <see cref="ElementwiseLoop"/>.</summary>
internal readonly struct NormalizedInputGradient(float mean, float gain, float deviationFactor, float offset) : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector gradient, TVector input)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged =>
        TLanes.Add(
            TLanes.Add(
                TLanes.Multiply(gradient, TLanes.Broadcast(gain)),
                TLanes.Multiply(TLanes.Subtract(input, TLanes.Broadcast(mean)), TLanes.Broadcast(deviationFactor))),
            TLanes.Broadcast(offset));
}
