using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>
/// Average pooling with 2 x 2 windows at stride 2 and no padding (LeNet's), vectorised as <see cref="MaxPoolPairs"/>
/// is: a row of windows is two input rows split into even and odd columns. The four values of a window are added in
/// the order the general loop adds them, and divided by 4 (a multiplication by 1/4 is the same rounding), so both
/// paths give the same bits.
/// </summary>
internal static unsafe class AveragePoolPairs
{
    /// <summary>Whether <see cref="Forward"/> and <see cref="Backward"/> compute this geometry (padding aside, the divisor is always 4).</summary>
    public static bool Applies(in PoolGeometry g) => MaxPoolPairs.Applies(g);

    /// <summary><c>(planes, H, W) -> (planes, H/2, W/2)</c>: window means.</summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* input, float* output, int planes, in PoolGeometry g)
    {
        int width = g.InputWidth, outputWidth = g.OutputWidth;
        int lanes = Vector128<float>.Count;
        // The last register of a row overlaps the one before it rather than leaving a scalar tail.
        bool vectorised = Vector128.IsHardwareAccelerated && outputWidth >= lanes;
        Vector128<float> quarter = Vector128.Create(0.25f);
        for (int plane = 0; plane < planes; plane++, input += g.InputPlane)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++, output += outputWidth)
            {
                float* top = input + 2 * oy * width, bottom = top + width;
                for (int next = 0; vectorised && next < outputWidth; next += lanes)
                {
                    int ox = Math.Min(next, outputWidth - lanes);
                    (Vector128<float> topEven, Vector128<float> topOdd) = MaxPoolPairs.Deinterleave(top + 2 * ox);
                    (Vector128<float> bottomEven, Vector128<float> bottomOdd) = MaxPoolPairs.Deinterleave(bottom + 2 * ox);
                    // From zero, as the general loop's sum starts: a window of negative zeros averages to +0 there too.
                    Vector128<float> sum = Vector128<float>.Zero + topEven + topOdd + bottomEven + bottomOdd;
                    (sum * quarter).Store(output + ox);
                }

                for (int ox = 0; !vectorised && ox < outputWidth; ox++)
                {
                    output[ox] = (0f + top[2 * ox] + top[2 * ox + 1] + bottom[2 * ox] + bottom[2 * ox + 1]) * 0.25f;
                }
            }
        }
    }

    /// <summary>
    /// <c>(planes, H/2, W/2) -> (planes, H, W)</c>: a quarter of each window's gradient to each of its four values, zero
    /// where no window reaches. Windows do not overlap, so every input value is written once, with no clearing pass.
    /// With <paramref name="sigmoid"/> (the output of a sigmoid before the pool), each plane then goes through the
    /// sigmoid's backward pass while it is in cache.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* outputGradient, float* inputGradient, float* sigmoid, int planes, in PoolGeometry g)
    {
        int width = g.InputWidth, outputWidth = g.OutputWidth;
        int lanes = Vector128<float>.Count;
        bool vectorised = Sse.IsSupported && outputWidth >= lanes;
        Vector128<float> quarter = Vector128.Create(0.25f);
        for (int plane = 0; plane < planes; plane++, inputGradient += g.InputPlane)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++, outputGradient += outputWidth)
            {
                float* top = inputGradient + 2 * oy * width, bottom = top + width;
                for (int next = 0; vectorised && next < outputWidth; next += lanes)
                {
                    int ox = Math.Min(next, outputWidth - lanes);
                    // Added to zero, as the general loop's scatter into a cleared gradient: -0 arrives as +0.
                    Vector128<float> share = Vector128<float>.Zero + Vector128.Load(outputGradient + ox) * quarter;
                    Vector128<float> low = Sse.UnpackLow(share, share), high = Sse.UnpackHigh(share, share);
                    low.Store(top + 2 * ox);
                    high.Store(top + 2 * ox + lanes);
                    low.Store(bottom + 2 * ox);
                    high.Store(bottom + 2 * ox + lanes);
                }

                for (int ox = 0; !vectorised && ox < outputWidth; ox++)
                {
                    float share = 0f + outputGradient[ox] * 0.25f;
                    top[2 * ox] = top[2 * ox + 1] = bottom[2 * ox] = bottom[2 * ox + 1] = share;
                }

                MaxPoolPairs.ClearUncoveredColumns(top, bottom, g);
            }

            MaxPoolPairs.ClearUncoveredRows(inputGradient, g);
            if (sigmoid != null)
            {
                Activations.SigmoidGradient(sigmoid + (nint)plane * g.InputPlane, inputGradient, g.InputPlane);
            }
        }
    }
}
