using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Kernels;

/// <summary>
/// The fused passes over one <c>H*W</c> plane that <see cref="BatchNormalization"/> is made of, each reading its inputs once
/// (batch norm is bound by memory, not arithmetic). <see cref="Vector{T}"/> lanes where SIMD is accelerated, the same
/// arithmetic scalar otherwise. Sums run in float lanes over blocks of <see cref="Block"/> values and add up in double,
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

    /// <summary><c>y = x * scale + shift</c>.</summary>
    public static void ScaleAndShift(ReadOnlySpan<float> input, float scale, float shift, Span<float> output)
    {
        CheckLengths(input.Length, output.Length);
        ref float x = ref MemoryMarshal.GetReference(input), y = ref MemoryMarshal.GetReference(output);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scales = new Vector<float>(scale);
            var shifts = new Vector<float>(shift);
            for (; i <= input.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref x, (nuint)i) * scales + shifts, ref y, (nuint)i);
            }
        }

        for (; i < input.Length; i++)
        {
            Unsafe.Add(ref y, i) = Unsafe.Add(ref x, i) * scale + shift;
        }
    }

    /// <summary><c>dX = dY * gain + (x - mean) * deviationFactor + offset</c>.</summary>
    public static void InputGradient(
        ReadOnlySpan<float> gradient, ReadOnlySpan<float> input, float mean, float gain, float deviationFactor, float offset, Span<float> inputGradient)
    {
        CheckLengths(input.Length, gradient.Length);
        CheckLengths(input.Length, inputGradient.Length);
        ref float x = ref MemoryMarshal.GetReference(input), dy = ref MemoryMarshal.GetReference(gradient), dx = ref MemoryMarshal.GetReference(inputGradient);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var means = new Vector<float>(mean);
            var gains = new Vector<float>(gain);
            var factors = new Vector<float>(deviationFactor);
            var offsets = new Vector<float>(offset);
            for (; i <= input.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> deviation = Vector.LoadUnsafe(ref x, (nuint)i) - means;
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref dy, (nuint)i) * gains + deviation * factors + offsets, ref dx, (nuint)i);
            }
        }

        for (; i < input.Length; i++)
        {
            Unsafe.Add(ref dx, i) = Unsafe.Add(ref dy, i) * gain + (Unsafe.Add(ref x, i) - mean) * deviationFactor + offset;
        }
    }

    // The unchecked loads and stores above rely on equal lengths.
    private static void CheckLengths(int input, int other)
    {
        if (other != input)
        {
            throw new ArgumentException($"A plane of {input} values needs as many in every span, not {other}.");
        }
    }
}
