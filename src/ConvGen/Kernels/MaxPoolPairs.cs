using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels;

/// <summary>
/// Max pooling with 2 x 2 windows at stride 2 and no padding, the shape nearly every CNN pools with, in one
/// vectorised pass that writes each window's maximum and its index. A row of windows is two input rows split into
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

    // The even and odd columns of 2 * lanes values: each pair of floats read as one 64-bit lane, split into halves.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Even, Vector128<float> Odd) Deinterleave(float* pairs)
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
