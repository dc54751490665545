using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// The logistic sigmoid <c>1 / (1 + e^-x)</c>, vectorised, within three units in the last place. <c>e^t</c> is
/// <c>2^n * e^r</c> with <c>n = round(t / ln 2)</c> and <c>r = t - n ln 2</c> (ln 2 in two parts, so the reduction is
/// exact), <c>e^r</c> by Cephes' minimax polynomial, and <c>2^n</c> added to the exponent bits. The registers and the
/// scalar tail run the same operations in the same order, so a value's result never depends on where it falls in a
/// span, on the register width, or on whether SIMD is there at all. TensorPrimitives' sigmoid was several times slower.
/// </summary>
internal static unsafe class LogisticFunction
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    // 1.5 * 2^23: adding it rounds to a whole number, which then sits in the low bits of the sum.
    private const float RoundingShift = 12582912f;

    // e^-x for x beyond these is 0 or infinite to float's precision of the sigmoid; inside them 2^n stays a normal number.
    private const float LowestExponent = -86f;
    private const float HighestExponent = 88f;

    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /// <summary><c>output[i] = 1 / (1 + e^-input[i])</c> for <paramref name="length"/> values; the spans may be the same.</summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(float* input, float* output, int length)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Sigmoid(Vector.Load(input + i)).Store(output + i);
            }
        }

        for (; i < length; i++)
        {
            output[i] = Sigmoid(input[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Sigmoid(Vector<float> x)
    {
        Vector<float> t = Vector.Min(Vector.Max(-x, new Vector<float>(LowestExponent)), new Vector<float>(HighestExponent));
        Vector<float> shifted = t * new Vector<float>(Log2E) + new Vector<float>(RoundingShift);
        Vector<float> n = shifted - new Vector<float>(RoundingShift);
        Vector<float> r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2High), t);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Low), r);
        Vector<float> p = Vector.FusedMultiplyAdd(new Vector<float>(P0), r, new Vector<float>(P1));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(P2));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(P3));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(P4));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(P5));
        Vector<float> er = Vector.FusedMultiplyAdd(p, r * r, r) + Vector<float>.One;
        Vector<int> scale = Vector.ShiftLeft(Vector.AsVectorInt32(shifted) - new Vector<int>(BitConverter.SingleToInt32Bits(RoundingShift)), 23);
        Vector<float> e = Vector.AsVectorSingle(Vector.AsVectorInt32(er) + scale);
        // NaN in, NaN out: the exponent arithmetic above would not keep it.
        return Vector.ConditionalSelect(Vector.Equals(x, x), Vector<float>.One / (Vector<float>.One + e), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sigmoid(float x)
    {
        float t = MathF.Min(MathF.Max(-x, LowestExponent), HighestExponent);
        float shifted = t * Log2E + RoundingShift;
        float n = shifted - RoundingShift;
        float r = MathF.FusedMultiplyAdd(n, -Ln2High, t);
        r = MathF.FusedMultiplyAdd(n, -Ln2Low, r);
        float p = MathF.FusedMultiplyAdd(P0, r, P1);
        p = MathF.FusedMultiplyAdd(p, r, P2);
        p = MathF.FusedMultiplyAdd(p, r, P3);
        p = MathF.FusedMultiplyAdd(p, r, P4);
        p = MathF.FusedMultiplyAdd(p, r, P5);
        float er = MathF.FusedMultiplyAdd(p, r * r, r) + 1f;
        int scale = (BitConverter.SingleToInt32Bits(shifted) - BitConverter.SingleToInt32Bits(RoundingShift)) << 23;
        float e = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(er) + scale);
        return float.IsNaN(x) ? x : 1f / (1f + e);
    }
}
