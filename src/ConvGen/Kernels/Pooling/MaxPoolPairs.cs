using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>
/// Max pooling with 2 x 2 windows at stride 2 and no padding, the shape nearly every CNN pools with, in one
/// vectorised pass that writes each window's maximum and its index (and one that routes the gradients back). A row of windows is two input rows split into
/// even and odd columns, so the four candidates of a run of windows are four registers compared lane by lane, in the
/// order the general loop scans them (so ties and NaNs pick the same winner as there, and as in PyTorch).
/// </summary>
internal static unsafe class MaxPoolPairs
{
    /// <summary>Whether <see cref="Forward"/> computes this geometry.</summary>
    public static bool Applies(in PoolGeometry g) =>
        g is { KernelHeight: 2, KernelWidth: 2, StrideHeight: 2, StrideWidth: 2, PaddingHeight: 0, PaddingWidth: 0 }
        && 2 * g.OutputHeight <= g.InputHeight && 2 * g.OutputWidth <= g.InputWidth;

    /// <summary><c>(planes, H, W) -> (planes, H/2, W/2)</c>: window maxima and their positions within the plane.</summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* input, float* output, int* indices, int planes, in PoolGeometry g)
    {
        int width = g.InputWidth, outputWidth = g.OutputWidth;
        int lanes = Vector128<float>.Count;
        // Four windows per register (a row of 7 or 14 windows wastes little); the last register of a row overlaps the
        // one before it rather than leaving a scalar tail, whose unpredictable branches cost more than the repeat.
        bool vectorised = Vector128.IsHardwareAccelerated && outputWidth >= lanes;
        Vector128<int> evenColumns = Vector128<int>.Indices * 2;
        for (int plane = 0; plane < planes; plane++, input += g.InputPlane)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++, output += outputWidth, indices += outputWidth)
            {
                float* top = input + 2 * oy * width, bottom = top + width;
                for (int next = 0; vectorised && next < outputWidth; next += lanes)
                {
                    int ox = Math.Min(next, outputWidth - lanes);
                    Vector128<int> topLeft = evenColumns + Vector128.Create(2 * (oy * width + ox));
                    (Vector128<float> topEven, Vector128<float> topOdd) = Deinterleave(top + 2 * ox);
                    (Vector128<float> bottomEven, Vector128<float> bottomOdd) = Deinterleave(bottom + 2 * ox);
                    Vector128<float> best = topEven;
                    Vector128<int> bestIndex = topLeft;
                    Challenge(ref best, ref bestIndex, topOdd, topLeft + Vector128<int>.One);
                    Challenge(ref best, ref bestIndex, bottomEven, topLeft + Vector128.Create(width));
                    Challenge(ref best, ref bestIndex, bottomOdd, topLeft + Vector128.Create(width + 1));
                    best.Store(output + ox);
                    bestIndex.Store(indices + ox);
                }

                for (int ox = 0; !vectorised && ox < outputWidth; ox++)
                {
                    int topLeft = 2 * (oy * width + ox);
                    float best = top[2 * ox];
                    int bestIndex = topLeft;
                    Challenge(ref best, ref bestIndex, top[2 * ox + 1], topLeft + 1);
                    Challenge(ref best, ref bestIndex, bottom[2 * ox], topLeft + width);
                    Challenge(ref best, ref bestIndex, bottom[2 * ox + 1], topLeft + width + 1);
                    output[ox] = best;
                    indices[ox] = bestIndex;
                }
            }
        }
    }

    /// <summary>
    /// <c>(planes, H/2, W/2) -> (planes, H, W)</c>: each window's gradient to the position that won it, zero elsewhere;
    /// with <paramref name="pooled"/> (the pool's output, after a ReLU) only where the window's maximum is above zero.
    /// Windows do not overlap, so every input value is written once, in order, with no clearing pass and no scatter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* outputGradient, int* indices, float* pooled, float* inputGradient, int planes, in PoolGeometry g)
    {
        int width = g.InputWidth, outputWidth = g.OutputWidth;
        int lanes = Vector128<float>.Count;
        bool vectorised = Sse.IsSupported && outputWidth >= lanes;
        Vector128<int> evenColumns = Vector128<int>.Indices * 2;
        for (int plane = 0; plane < planes; plane++, inputGradient += g.InputPlane)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++, outputGradient += outputWidth, indices += outputWidth, pooled += pooled == null ? 0 : outputWidth)
            {
                float* top = inputGradient + 2 * oy * width, bottom = top + width;
                for (int next = 0; vectorised && next < outputWidth; next += lanes)
                {
                    int ox = Math.Min(next, outputWidth - lanes);
                    Vector128<int> topLeft = evenColumns + Vector128.Create(2 * (oy * width + ox));
                    Vector128<int> winner = Vector128.Load(indices + ox);
                    Vector128<float> gradient = Vector128.Load(outputGradient + ox);
                    if (pooled != null)
                    {
                        gradient &= Vector128.GreaterThan(Vector128.Load(pooled + ox), Vector128<float>.Zero);
                    }

                    Vector128<float> topEven = Routed(gradient, winner, topLeft), topOdd = Routed(gradient, winner, topLeft + Vector128<int>.One);
                    Vector128<float> bottomEven = Routed(gradient, winner, topLeft + Vector128.Create(width));
                    Vector128<float> bottomOdd = Routed(gradient, winner, topLeft + Vector128.Create(width + 1));
                    Sse.UnpackLow(topEven, topOdd).Store(top + 2 * ox);
                    Sse.UnpackHigh(topEven, topOdd).Store(top + 2 * ox + lanes);
                    Sse.UnpackLow(bottomEven, bottomOdd).Store(bottom + 2 * ox);
                    Sse.UnpackHigh(bottomEven, bottomOdd).Store(bottom + 2 * ox + lanes);
                }

                for (int ox = 0; !vectorised && ox < outputWidth; ox++)
                {
                    int topLeft = 2 * (oy * width + ox), winner = indices[ox];
                    float gradient = pooled == null || pooled[ox] > 0f ? outputGradient[ox] : 0f;
                    top[2 * ox] = 0f + (winner == topLeft ? gradient : 0f);
                    top[2 * ox + 1] = 0f + (winner == topLeft + 1 ? gradient : 0f);
                    bottom[2 * ox] = 0f + (winner == topLeft + width ? gradient : 0f);
                    bottom[2 * ox + 1] = 0f + (winner == topLeft + width + 1 ? gradient : 0f);
                }

                ClearUncoveredColumns(top, bottom, g);
            }

            ClearUncoveredRows(inputGradient, g);
        }
    }

    /// <summary>Zeros an odd last column of the two input rows of a row of windows: it belongs to no window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClearUncoveredColumns(float* top, float* bottom, in PoolGeometry g)
    {
        int covered = 2 * g.OutputWidth, width = g.InputWidth;
        if (covered < width)
        {
            new Span<float>(top + covered, width - covered).Clear();
            new Span<float>(bottom + covered, width - covered).Clear();
        }
    }

    /// <summary>Zeros an odd last row of an input plane: nor does it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClearUncoveredRows(float* plane, in PoolGeometry g)
    {
        if (2 * g.OutputHeight < g.InputHeight)
        {
            new Span<float>(plane + 2 * g.OutputHeight * g.InputWidth, (g.InputHeight - 2 * g.OutputHeight) * g.InputWidth).Clear();
        }
    }

    // The window gradients that go to one of the four positions: where the winner's index is that position's. Added to
    // zero, as a scatter into a cleared gradient would: a negative-zero gradient arrives as +0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Routed(Vector128<float> gradient, Vector128<int> winner, Vector128<int> position) =>
        Vector128<float>.Zero + (gradient & Vector128.Equals(winner, position).AsSingle());

    /// <summary>The even and odd columns of 2 * lanes values: each pair of floats read as one 64-bit lane, split into halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<float> Even, Vector128<float> Odd) Deinterleave(float* pairs)
    {
        Vector128<ulong> low = Vector128.Load((ulong*)pairs), high = Vector128.Load((ulong*)(pairs + Vector128<float>.Count));
        Vector128<uint> even = Vector128.Narrow(low, high);
        Vector128<uint> odd = Vector128.Narrow(Vector128.ShiftRightLogical(low, 32), Vector128.ShiftRightLogical(high, 32));
        return (even.AsSingle(), odd.AsSingle());
    }

    // PyTorch's rule: a later candidate wins if it is greater or NaN (so NaN propagates, and the last NaN wins); ties keep the earlier.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Challenge(ref Vector128<float> best, ref Vector128<int> bestIndex, Vector128<float> candidate, Vector128<int> index)
    {
        Vector128<float> wins = Vector128.GreaterThan(candidate, best) | ~Vector128.Equals(candidate, candidate);
        best = Vector128.ConditionalSelect(wins, candidate, best);
        bestIndex = Vector128.ConditionalSelect(wins.AsInt32(), index, bestIndex);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Challenge(ref float best, ref int bestIndex, float candidate, int index)
    {
        if (candidate > best || float.IsNaN(candidate))
        {
            best = candidate;
            bestIndex = index;
        }
    }
}
