using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// The logistic sigmoid <c>1 / (1 + e^-x)</c>, vectorised, within three units in the last place. <c>e^t</c> is
/// <c>2^n * e^r</c> with <c>n = round(t / ln 2)</c> and <c>r = t - n ln 2</c> (ln 2 in two parts, so the reduction is
/// exact), <c>e^r</c> by Cephes' minimax polynomial, and <c>2^n</c> added to the exponent bits. Written once over
/// <see cref="IVectorLanes{TVector}"/>, so the registers and the scalar tail run the same operations in the same order
/// (<see cref="ElementwiseLoop"/>). TensorPrimitives' sigmoid was several times slower.
/// </summary>
internal readonly unsafe struct LogisticFunction : IUnaryFunction
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

    /// <summary><c>output[i] = 1 / (1 + e^-input[i])</c> for <paramref name="length"/> values on this thread; the arrays may be the same.</summary>
    public static void Apply(float* input, float* output, int length) =>
        ElementwiseLoop.Map(default(LogisticFunction), new ReadOnlySpan<float>(input, length), new Span<float>(output, length));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        TVector t = TLanes.Min(TLanes.Max(TLanes.Negate(x), TLanes.Broadcast(LowestExponent)), TLanes.Broadcast(HighestExponent));
        TVector roundingShift = TLanes.Broadcast(RoundingShift);
        TVector shifted = TLanes.Add(TLanes.Multiply(t, TLanes.Broadcast(Log2E)), roundingShift);
        TVector n = TLanes.Subtract(shifted, roundingShift);
        TVector r = TLanes.MultiplyAdd(n, TLanes.Broadcast(-Ln2High), t);
        r = TLanes.MultiplyAdd(n, TLanes.Broadcast(-Ln2Low), r);
        TVector p = TLanes.MultiplyAdd(TLanes.Broadcast(P0), r, TLanes.Broadcast(P1));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(P2));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(P3));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(P4));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(P5));
        TVector one = TLanes.Broadcast(1f);
        TVector er = TLanes.Add(TLanes.MultiplyAdd(p, TLanes.Multiply(r, r), r), one);
        TVector e = TLanes.AddBits(er, TLanes.ShiftBitsLeft(TLanes.SubtractBits(shifted, roundingShift), 23));
        // NaN in, NaN out: the exponent arithmetic above would not keep it.
        return TLanes.Select(TLanes.EqualTo(x, x), TLanes.Divide(one, TLanes.Add(one, e)), x);
    }
}
