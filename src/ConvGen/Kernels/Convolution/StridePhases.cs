using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// The input gradient of a strided convolution, one stride phase at a time. Input row <c>y</c> meets only the kernel
/// rows <c>ky</c> with <c>ky = (y + padding) mod stride</c> (modulo the stride), so the rows of one phase form a
/// stride-1 correlation of the output gradient with that phase's rows of the flipped kernel. Spreading the output
/// gradient out by the stride and correlating it with the whole kernel (the stride-1 path) computes the same sums
/// with <c>stride^2</c> times the multiply-adds, most of them with the zeros between the spread values; here each
/// multiply-add meets a real value, as many as the forward pass makes. Each phase is an implicit GEMM over the
/// zero-padded (not spread) output gradient, whose product is turned channel-major and written row by row, at the
/// stride, to its phase's input pixels; with a column stride of 2, the phases are kept until all are done and each
/// input row is woven from its even and odd column phases, written whole.
/// </summary>
internal readonly unsafe struct StridePhases
{
    private readonly Phase* phases;
    private readonly int phaseCount;
    private readonly Spread spread;
    private readonly int inChannels, inputPlane, inputWidth, strideY, strideX;
    private readonly bool someInputMeetsNoTap, pairsColumns;
    // With pairsColumns, the column phase holding the even input columns (the other holds the odd ones).
    private readonly int evenColumns;

    private StridePhases(
        Phase* phases, int phaseCount, Spread spread, int inChannels, int inputPlane, int inputWidth, int strideY, int strideX, bool someInputMeetsNoTap, bool pairsColumns,
        int evenColumns)
    {
        this.phases = phases;
        (this.phaseCount, this.spread) = (phaseCount, spread);
        (this.inChannels, this.inputPlane, this.inputWidth, this.strideY, this.strideX) = (inChannels, inputPlane, inputWidth, strideY, strideX);
        this.someInputMeetsNoTap = someInputMeetsNoTap;
        (this.pairsColumns, this.evenColumns) = (pairsColumns, evenColumns);
    }

    /// <summary>Whether the phases pay: a stride above 1 on either axis (dilation and groups go to <see cref="Conv2dGeneral"/>).</summary>
    public static bool Applies(in Conv2dGeometry g) => g.StrideHeight > 1 || g.StrideWidth > 1;

    /// <summary>
    /// The tables and each phase's packed kernel for <paramref name="weight"/> (OIHW), in this thread's scratch: valid
    /// until this thread builds another convolution.
    /// </summary>
    public static StridePhases Build(float* weight, in Conv2dGeometry g)
    {
        Axis rows = new(g.InputHeight, g.OutputHeight, g.KernelHeight, g.StrideHeight, g.PaddingHeight);
        Axis columns = new(g.InputWidth, g.OutputWidth, g.KernelWidth, g.StrideWidth, g.PaddingWidth);
        var spread = new Spread(g.OutChannels, g.OutputHeight, g.OutputWidth, rows.BufferSize, columns.BufferSize, rows.Margin, columns.Margin, 1, 1);
        int phaseCount = g.StrideHeight * g.StrideWidth;

        // Sizes first: growing a scratch buffer moves it, so each is taken once, whole.
        long pixels = 0, taps = 0, packedValues = 0, largestTaps = 0;
        for (int ry = 0; ry < g.StrideHeight; ry++)
        {
            for (int rx = 0; rx < g.StrideWidth; rx++)
            {
                long phaseTaps = (long)g.OutChannels * rows.Taps(ry) * columns.Taps(rx);
                pixels += (long)rows.Count(ry) * columns.Count(rx);
                taps += phaseTaps;
                packedValues += PackedSize(phaseTaps, g.InChannels);
                largestTaps = Math.Max(largestTaps, phaseTaps);
            }
        }

        // Phases and their pixel tables share one buffer: phaseCount records, then the offsets.
        int phaseFloats = (phaseCount * sizeof(Phase) + sizeof(float) - 1) / sizeof(float);
        float* tables = ScratchBuffers.Get(ScratchPurpose.RowOffsets, checked(phaseFloats + (int)pixels));
        var phases = (Phase*)tables;
        int* pixelTable = (int*)(tables + phaseFloats);
        int* tapTable = ScratchBuffers.GetOffsets(ScratchPurpose.DepthOffsets, checked((int)taps));
        float* packed = ScratchBuffers.Get(ScratchPurpose.PackedB, checked((int)packedValues));
        float* rearranged = ScratchBuffers.Get(ScratchPurpose.Partials, checked((int)(largestTaps * g.InChannels)));

        bool someInputMeetsNoTap = false;
        int phase = 0;
        for (int ry = 0; ry < g.StrideHeight; ry++)
        {
            for (int rx = 0; rx < g.StrideWidth; rx++, phase++)
            {
                int tapRows = rows.Taps(ry), tapColumns = columns.Taps(rx);
                int pixelRows = rows.Count(ry), pixelColumns = columns.Count(rx);
                int phasePixels = pixelRows * pixelColumns, phaseTaps = g.OutChannels * tapRows * tapColumns;
                someInputMeetsNoTap |= phasePixels > 0 && phaseTaps == 0;
                // Pixel (i, j) of the phase is input pixel (first + i) * stride + r - padding on each axis; its window
                // starts taps - 1 rows (columns) above it in the output gradient, where the flipped kernel's first tap lies.
                int firstPosition = (rows.First(ry) * g.StrideHeight + ry - g.PaddingHeight) * g.InputWidth + columns.First(rx) * g.StrideWidth + rx - g.PaddingWidth;
                phases[phase] = new Phase(phasePixels, pixelColumns, firstPosition, phaseTaps, pixelTable, tapTable, packed);
                for (int i = 0, pixel = 0; i < pixelRows; i++)
                {
                    int m = rows.First(ry) + i;
                    for (int j = 0; j < pixelColumns; j++, pixel++)
                    {
                        int n = columns.First(rx) + j;
                        pixelTable[pixel] = (m - (tapRows - 1) + rows.Margin) * spread.BufferWidth + n - (tapColumns - 1) + columns.Margin;
                    }
                }

                // Tap (o, a, b) reads the output gradient a rows and b columns into the window and carries
                // W[o, c, ry + stride * (tapRows - 1 - a), rx + stride * (tapColumns - 1 - b)]: the phase's kernel rows, flipped.
                for (int o = 0, tap = 0; o < g.OutChannels; o++)
                {
                    for (int a = 0; a < tapRows; a++)
                    {
                        int ky = ry + g.StrideHeight * (tapRows - 1 - a);
                        for (int b = 0; b < tapColumns; b++, tap++)
                        {
                            int kx = rx + g.StrideWidth * (tapColumns - 1 - b);
                            tapTable[tap] = o * spread.BufferPlane + a * spread.BufferWidth + b;
                            for (int c = 0; c < g.InChannels; c++)
                            {
                                rearranged[(nint)tap * g.InChannels + c] = weight[(((nint)o * g.InChannels + c) * g.KernelHeight + ky) * g.KernelWidth + kx];
                            }
                        }
                    }
                }

                if (phaseTaps > 0)
                {
                    GemmPacking.PackPanels(rearranged, 1, g.InChannels, g.InChannels, phaseTaps, Gemm.TileColumns, packed);
                }

                pixelTable += phasePixels;
                tapTable += phaseTaps;
                packed += PackedSize(phaseTaps, g.InChannels);
            }
        }

        return new StridePhases(
            phases, phaseCount, spread, g.InChannels, g.InputHeight * g.InputWidth, g.InputWidth, g.StrideHeight, g.StrideWidth, someInputMeetsNoTap,
            PairsColumns(phases, g), g.PaddingWidth % 2);
    }

    /// <summary>One sample's input gradient, <c>C_in x H x W</c> at <paramref name="inputGradient"/>, from its output gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void InputGradient(float* outputGradient, float* inputGradient)
    {
        float* buffer = ScratchBuffers.Get(ScratchPurpose.PaddedInput, spread.BufferSize);
        spread.Write(outputGradient, buffer);
        if (someInputMeetsNoTap)
        {
            // A kernel smaller than its stride: some input pixels feed no output, so their gradient is zero.
            new Span<float>(inputGradient, inChannels * inputPlane).Clear();
        }

        // With column pairs every phase's planes are kept, one after another, and the rows woven together at the end.
        float* planes = pairsColumns ? ScratchBuffers.Get(ScratchPurpose.PhasePlanes, inChannels * inputPlane) : null;
        for (int p = 0; p < phaseCount; p++)
        {
            Phase phase = phases[p];
            if (phase.Pixels == 0 || phase.Taps == 0)
            {
                continue;
            }

            float* product = ScratchBuffers.Get(ScratchPurpose.Product, phase.Pixels * inChannels);
            new BlockedProduct(GemmOperand.Implicit(buffer, phase.PixelOffsets, phase.TapOffsets), GemmOperand.Packed(phase.PackedWeights), phase.Pixels, inChannels, phase.Taps, product, inChannels, accumulate: false)
                .MultiplyRange(0, phase.Pixels, 0, inChannels);
            // Pixel-major to channel-major in registers, then each channel's rows out at the stride: writing the
            // product pixel by pixel would touch every channel's plane for each value.
            float* phasePlanes = pairsColumns ? planes : ScratchBuffers.Get(ScratchPurpose.PhasePlanes, phase.Pixels * inChannels);
            Transposition.Transpose(product, phase.Pixels, inChannels, inChannels, phasePlanes, phase.Pixels, bias: null);
            if (pairsColumns)
            {
                planes += (nint)phase.Pixels * inChannels;
            }
            else
            {
                SpreadRows(phasePlanes, phase, inputGradient);
            }
        }

        if (pairsColumns)
        {
            WeaveRows(planes - (nint)inChannels * inputPlane, inputGradient);
        }
    }

    // A column stride of 2 where every phase meets taps: each input row is one row of two phases, one holding its even
    // columns (x = 2m + rx - padding is even where rx = padding mod 2) and the other its odd ones, so the row can be
    // written whole, pairs of values from a pair of registers, rather than one value every other column per phase.
    private static bool PairsColumns(Phase* phases, in Conv2dGeometry g)
    {
        if (g.StrideWidth != 2)
        {
            return false;
        }

        for (int ry = 0; ry < g.StrideHeight; ry++)
        {
            Phase even = phases[ry * 2 + g.PaddingWidth % 2], odd = phases[ry * 2 + 1 - g.PaddingWidth % 2];
            if (even.Pixels == 0 || even.Taps == 0 || odd.Taps == 0
                || even.FirstPosition % g.InputWidth != 0 || even.Columns != (g.InputWidth + 1) / 2 || odd.Columns != g.InputWidth / 2
                || (odd.Columns > 0 && (odd.FirstPosition != even.FirstPosition + 1 || odd.Pixels / odd.Columns != even.Pixels / even.Columns)))
            {
                return false;
            }
        }

        return true;
    }

    // Phase (ry, rx)'s planes lie one after another in phase order; input row y of plane c is the next row of its row
    // phase's even and odd column phases, interleaved.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WeaveRows(float* planes, float* inputGradient)
    {
        for (int ry = 0; ry < strideY; ry++)
        {
            Phase even = phases[ry * 2 + evenColumns], odd = phases[ry * 2 + 1 - evenColumns];
            float* evenPlanes = planes + (evenColumns == 0 ? 0 : (nint)odd.Pixels * inChannels);
            float* oddPlanes = planes + (evenColumns == 0 ? (nint)even.Pixels * inChannels : 0);
            int rows = even.Pixels / even.Columns;
            for (int c = 0; c < inChannels; c++)
            {
                float* evenRow = evenPlanes + (nint)c * even.Pixels, oddRow = oddPlanes + (nint)c * odd.Pixels;
                float* row = inputGradient + (nint)c * inputPlane + even.FirstPosition;
                for (int i = 0; i < rows; i++, evenRow += even.Columns, oddRow += odd.Columns, row += (nint)strideY * inputWidth)
                {
                    Interleave(evenRow, oddRow, row, inputWidth);
                }
            }

            planes += ((nint)even.Pixels + odd.Pixels) * inChannels;
        }
    }

    // row[2j] = even[j], row[2j + 1] = odd[j] for the row's width: copies only, so the values are exactly the phases'.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave(float* even, float* odd, float* row, int width)
    {
        int pairs = width / 2, j = 0;
        if (Sse.IsSupported)
        {
            for (; j <= pairs - 4; j += 4)
            {
                Vector128<float> evens = Sse.LoadVector128(even + j), odds = Sse.LoadVector128(odd + j);
                Sse.Store(row + 2 * j, Sse.UnpackLow(evens, odds));
                Sse.Store(row + 2 * j + 4, Sse.UnpackHigh(evens, odds));
            }
        }

        for (; j < pairs; j++)
        {
            row[2 * j] = even[j];
            row[2 * j + 1] = odd[j];
        }

        if (width % 2 != 0)
        {
            row[width - 1] = even[pairs];
        }
    }

    // Channel c's phase pixel (i, j) goes to input position FirstPosition + i * strideY * width + j * strideX of plane c.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SpreadRows(float* planes, in Phase phase, float* inputGradient)
    {
        int columns = phase.Columns, rows = phase.Pixels / columns;
        nint rowStep = (nint)strideY * inputWidth;
        for (int c = 0; c < inChannels; c++)
        {
            float* source = planes + (nint)c * phase.Pixels;
            float* row = inputGradient + (nint)c * inputPlane + phase.FirstPosition;
            for (int i = 0; i < rows; i++, source += columns, row += rowStep)
            {
                for (int j = 0; j < columns; j++)
                {
                    row[(nint)j * strideX] = source[j];
                }
            }
        }
    }

    private static long PackedSize(long taps, int inChannels) => (inChannels + Gemm.TileColumns - 1) / Gemm.TileColumns * (long)Gemm.TileColumns * taps;

    /// <summary>
    /// One phase: its input pixels (a grid <paramref name="columns"/> wide whose first is at <paramref name="firstPosition"/>
    /// of the input plane, with offsets into the padded output gradient), taps and packed kernel.
    /// </summary>
    private readonly struct Phase(int pixels, int columns, int firstPosition, int taps, int* pixelOffsets, int* tapOffsets, float* packedWeights)
    {
        public int Pixels { get; } = pixels;

        public int Columns { get; } = columns;

        public int FirstPosition { get; } = firstPosition;

        public int Taps { get; } = taps;

        public int* PixelOffsets { get; } = pixelOffsets;

        public int* TapOffsets { get; } = tapOffsets;

        public float* PackedWeights { get; } = packedWeights;
    }

    /// <summary>
    /// One axis of the phases: input pixel <c>m * stride + r - padding</c> is in phase r and meets the kernel taps
    /// <c>r, r + stride, ...</c>, reading output positions <c>m</c> down to <c>m - (taps - 1)</c>.
    /// </summary>
    private readonly struct Axis
    {
        private readonly int input, kernel, stride, padding;

        public Axis(int input, int output, int kernel, int stride, int padding)
        {
            (this.input, this.kernel, this.stride, this.padding) = (input, kernel, stride, padding);
            int lowest = 0, highest = output - 1;
            for (int r = 0; r < stride; r++)
            {
                if (Count(r) > 0)
                {
                    lowest = Math.Min(lowest, First(r) - Math.Max(0, Taps(r) - 1));
                    highest = Math.Max(highest, First(r) + Count(r) - 1);
                }
            }

            Margin = -lowest;
            BufferSize = Margin + highest + 1;
        }

        /// <summary>Zero rows (columns) before the output gradient's first, so that every window starts inside the buffer.</summary>
        public int Margin { get; }

        /// <summary>Rows (columns) of the padded output gradient.</summary>
        public int BufferSize { get; }

        /// <summary>Kernel taps of phase <paramref name="r"/>.</summary>
        public int Taps(int r) => r < kernel ? (kernel - r + stride - 1) / stride : 0;

        /// <summary>The first <c>m</c> of phase <paramref name="r"/>: the smallest with <c>m * stride + r - padding >= 0</c>.</summary>
        public int First(int r) => CeilingDivide(padding - r, stride);

        /// <summary>Input pixels in phase <paramref name="r"/>.</summary>
        public int Count(int r) => Math.Max(0, FloorDivide(input - 1 + padding - r, stride) - First(r) + 1);

        private static int FloorDivide(int value, int divisor) => value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);

        private static int CeilingDivide(int value, int divisor) => -FloorDivide(-value, divisor);
    }
}
