using System.Runtime.CompilerServices;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// Where each value of a <c>Channels x Height x Width</c> sample lands in a zero-filled buffer of planes
/// <c>BufferHeight x BufferWidth</c>: pixel <c>(y, x)</c> of channel c at row <c>Top + y * SpacingY</c>, column
/// <c>Left + x * SpacingX</c> of plane c. Values that land outside the buffer are dropped: they meet no output.
/// Spacing 1 is zero padding; a larger spacing puts the zeros between the values that a strided convolution's
/// input gradient needs.
/// </summary>
internal readonly record struct Spread(
    int Channels, int Height, int Width, int BufferHeight, int BufferWidth, int Top, int Left, int SpacingY, int SpacingX)
{
    public int BufferPlane => BufferHeight * BufferWidth;

    public int BufferSize => Channels * BufferPlane;

    /// <summary>Whether the buffer would be the sample itself, value for value: a reader can take the sample as it lies.</summary>
    public bool IsInPlace => BufferHeight == Height && BufferWidth == Width && Top == 0 && Left == 0 && SpacingY == 1 && SpacingX == 1;

    /// <summary>Fills <paramref name="buffer"/> (<see cref="BufferSize"/> values) from <paramref name="sample"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Write(float* sample, float* buffer)
    {
        new Span<float>(buffer, BufferSize).Clear();
        // The columns [first, end) of a row that land inside the buffer.
        int first = Math.Max(0, (-Left + SpacingX - 1) / SpacingX);
        int end = Math.Min(Width, BufferWidth - Left <= 0 ? 0 : (BufferWidth - Left + SpacingX - 1) / SpacingX);
        for (int c = 0; c < Channels; c++)
        {
            for (int y = 0; y < Height; y++)
            {
                int row = Top + y * SpacingY;
                if ((uint)row >= (uint)BufferHeight || first >= end)
                {
                    continue;
                }

                float* source = sample + ((nint)c * Height + y) * Width;
                float* target = buffer + (nint)c * BufferPlane + row * BufferWidth + Left;
                if (SpacingX == 1)
                {
                    ShortRows.Copy(source + first, target + first, end - first);
                    continue;
                }

                for (int x = first; x < end; x++)
                {
                    target[x * SpacingX] = source[x];
                }
            }
        }
    }
}

/// <summary>One sample's correlation over a <see cref="Spread"/> buffer, on the calling thread.</summary>
internal unsafe interface ISampleCorrelation
{
    /// <summary>
    /// <c>result[o, pixel] = sum over taps of W[o, tap] * A(pixel, tap) + bias[o]</c> (no bias when null), through a ReLU when
    /// <paramref name="relu"/> is set; W packed as the implementation's own packing left it.
    /// </summary>
    void Correlate(float* sample, float* packedWeights, int outChannels, float* bias, bool relu, float* result);
}

/// <summary>
/// A correlation over a <see cref="Spread"/> buffer as an implicit GEMM: output pixel <c>(oy, ox)</c> and kernel tap
/// <c>(c, ky, kx)</c> meet at <c>buffer[c, oy * StrideY + ky, ox * StrideX + kx]</c>, which is
/// <c>buffer[PixelOffsets[pixel] + TapOffsets[tap]]</c>. The unfolded (im2col) matrix is never written: the GEMM
/// reads it through those two tables. The same tables serve the forward pass (pixels x taps) and the weight gradient
/// (taps x pixels).
/// </summary>
internal readonly unsafe struct ImplicitConvolution : ISampleCorrelation
{
    private ImplicitConvolution(Spread spread, int pixels, int taps, int* pixelOffsets, int* tapOffsets)
    {
        (Spread, Pixels, Taps) = (spread, pixels, taps);
        PixelOffsets = pixelOffsets;
        TapOffsets = tapOffsets;
    }

    public Spread Spread { get; }

    /// <summary>Output pixels per sample.</summary>
    public int Pixels { get; }

    /// <summary>Kernel taps, <c>Channels * kH * kW</c>: the inner dimension of the forward product.</summary>
    public int Taps { get; }

    public int* PixelOffsets { get; }

    public int* TapOffsets { get; }

    /// <summary>The tables for this layout, in this thread's scratch: valid until this thread builds another.</summary>
    public static ImplicitConvolution Build(Spread spread, int kernelHeight, int kernelWidth, int outputHeight, int outputWidth, int strideY, int strideX)
    {
        int pixels = outputHeight * outputWidth, taps = spread.Channels * kernelHeight * kernelWidth;
        int* pixelOffsets = ScratchBuffers.GetOffsets(ScratchPurpose.RowOffsets, pixels);
        int* tapOffsets = ScratchBuffers.GetOffsets(ScratchPurpose.DepthOffsets, taps);
        for (int oy = 0, pixel = 0; oy < outputHeight; oy++)
        {
            for (int ox = 0; ox < outputWidth; ox++, pixel++)
            {
                pixelOffsets[pixel] = oy * strideY * spread.BufferWidth + ox * strideX;
            }
        }

        for (int c = 0, tap = 0; c < spread.Channels; c++)
        {
            for (int ky = 0; ky < kernelHeight; ky++)
            {
                for (int kx = 0; kx < kernelWidth; kx++, tap++)
                {
                    tapOffsets[tap] = c * spread.BufferPlane + ky * spread.BufferWidth + kx;
                }
            }
        }

        return new ImplicitConvolution(spread, pixels, taps, pixelOffsets, tapOffsets);
    }

    /// <summary>
    /// One sample through the layer on this thread: <c>result[o, pixel] = sum over taps of W[o, tap] * A(pixel, tap) + bias[o]</c>,
    /// with W packed (<see cref="Gemm.PackPanels"/> of its transpose) and <paramref name="bias"/> null for none;
    /// <c>max(0, result)</c> when <paramref name="relu"/> is set.
    /// </summary>
    public void Correlate(float* sample, float* packedWeights, int outChannels, float* bias, bool relu, float* result)
    {
        float* buffer = Spread.IsInPlace ? sample : SpreadInScratch(sample);
        // Pixel-major, so that the big operand (the spread sample) is the one read through offsets.
        float* product = ScratchBuffers.Get(ScratchPurpose.Product, Pixels * outChannels);
        new BlockedProduct(GemmOperand.Implicit(buffer, PixelOffsets, TapOffsets), GemmOperand.Packed(packedWeights), Pixels, outChannels, Taps, product, outChannels, accumulate: false)
            .MultiplyRange(0, Pixels, 0, outChannels);
        Transposition.Transpose(product, Pixels, outChannels, outChannels, result, Pixels, bias, relu);
    }

    /// <summary>
    /// One sample's share of the weight gradient, transposed: <c>gradient[tap, o] (+)= sum over pixels of A(pixel, tap) * dY[o, pixel]</c>.
    /// </summary>
    public void AccumulateWeightGradient(float* sample, float* outputGradient, int outChannels, float* gradient, bool accumulate)
    {
        float* buffer = Spread.IsInPlace ? sample : SpreadInScratch(sample);
        float* packedGradient = Gemm.PackPanels(ScratchPurpose.SampleB, outputGradient, Pixels, 1, outChannels, Pixels);
        new BlockedProduct(GemmOperand.Implicit(buffer, TapOffsets, PixelOffsets), GemmOperand.Packed(packedGradient), Taps, outChannels, Pixels, gradient, outChannels, accumulate)
            .MultiplyRange(0, Taps, 0, outChannels);
    }

    // The sample spread into this thread's scratch: what the offsets read when the sample itself will not do.
    private float* SpreadInScratch(float* sample)
    {
        float* buffer = ScratchBuffers.Get(ScratchPurpose.PaddedInput, Spread.BufferSize);
        Spread.Write(sample, buffer);
        return buffer;
    }
}
