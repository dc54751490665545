using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// A stride-1 correlation over a <see cref="Spread"/> buffer for layers with few output channels (LeNet's 6 and 16),
/// where the implicit GEMM, which puts the channels along the registers, would leave most of each tile empty. Here
/// the channels are the rows of a tile and the output positions run along the registers: output pixel <c>(oy, ox)</c>
/// is computed at position <c>oy * BufferWidth + ox</c> of a "wide" row as long as the buffer's, so that every kernel
/// tap reads a contiguous run of the buffer (<c>position + TapOffsets[tap]</c>) and nothing is packed or unfolded.
/// The positions past each row's last pixel are computed and thrown away. The rows are as narrow as the zeros on
/// their left allow: a window that runs past a row's end reads the next row's left padding, zeros as the right
/// padding would be. And a tile skips the kernel rows that meet only the zero rows above and below the input.
/// </summary>
internal readonly unsafe struct WideRowCorrelation : ISampleCorrelation
{
    /// <summary>Output channels per tile: six rows of two registers are twelve accumulators, as in the GEMM.</summary>
    private const int Rows = 6;

    /// <summary>Output channels per tall tile: sixteen rows of one register, for 13 to 16 channels where six-row blocks waste most.</summary>
    private const int TallRows = 16;

    /// <summary>
    /// Output channels per long tile: eight rows of three registers, 24 accumulators, for 8 or 16 channels where 32
    /// registers hold them (512-bit). Each tap step loads three registers and broadcasts eight weights for 24
    /// multiply-adds, where the tall tile needs a load and sixteen broadcasts for sixteen: fewer loads per product.
    /// </summary>
    private const int LongRows = 8;

    /// <summary>Kernel taps per block of the weight gradient: six rows by three taps are eighteen accumulators.</summary>
    private const int TapsPerBlock = 3;

    private readonly int outputHeight, outputWidth, kernelHeight, kernelWidth;

    private WideRowCorrelation(Spread spread, int taps, int* tapOffsets, int outputHeight, int outputWidth, int kernelHeight, int kernelWidth)
    {
        (Spread, Taps, this.outputHeight, this.outputWidth, this.kernelHeight, this.kernelWidth) = (spread, taps, outputHeight, outputWidth, kernelHeight, kernelWidth);
        TapOffsets = tapOffsets;
    }

    public Spread Spread { get; }

    /// <summary>Kernel taps, <c>Channels * kH * kW</c> of the spread input.</summary>
    public int Taps { get; }

    public int* TapOffsets { get; }

    /// <summary>The most positions a tile covers: three registers.</summary>
    private static int Tile => 3 * WidestLanes.Count;

    /// <summary>Wide positions that hold every output pixel: all rows but the last in full, then the last row's pixels.</summary>
    private int Positions => (outputHeight - 1) * Spread.BufferWidth + outputWidth;

    /// <summary>Positions rounded up to whole steps of <paramref name="step"/>: the length of one channel's wide row.</summary>
    private int WideLength(int step) => (Positions + step - 1) / step * step;

    // Six rows by two registers, sixteen by one, or (with 32 registers) eight by three: whichever computes fewer values
    // that are thrown away, the long tile on a tie.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int Rows, int Registers) TileShape(int channels)
    {
        int lanes = WidestLanes.Count;
        long wide = (long)RowBlocks(channels, Rows) * Rows * WideLength(2 * lanes), tall = (long)RowBlocks(channels, TallRows) * TallRows * WideLength(lanes);
        long extended = (long)RowBlocks(channels, LongRows) * LongRows * WideLength(3 * lanes);
        if (lanes == Lanes512.Count && extended <= Math.Min(wide, tall))
        {
            return (LongRows, 3);
        }

        return tall < wide ? (TallRows, 1) : (Rows, 2);
    }

    private static int RowBlocks(int channels, int rows) => (channels + rows - 1) / rows;

    /// <summary>
    /// Whether this path beats the implicit GEMM for a correlation with <paramref name="outputChannels"/> channels at
    /// stride 1: when the channels would fill at most half of a GEMM tile's columns (and up to 8 on any hardware,
    /// so that the fallbacks without SIMD run it too).
    /// </summary>
    public static bool Applies(int outputChannels, int strideHeight, int strideWidth) =>
        strideHeight == 1 && strideWidth == 1 && outputChannels <= Math.Max(8, Gemm.TileColumns / 2);

    /// <summary>
    /// The tables for a correlation of <paramref name="kernelHeight"/> x <paramref name="kernelWidth"/> over <paramref name="spread"/>
    /// (exactly as wide as the output's windows reach), with its rows narrowed, in this thread's scratch.
    /// </summary>
    public static WideRowCorrelation Build(Spread spread, int kernelHeight, int kernelWidth, int outputHeight, int outputWidth)
    {
        Spread narrowed = Narrowed(spread, outputWidth);
        var convolution = ImplicitConvolution.Build(narrowed, kernelHeight, kernelWidth, outputHeight, outputWidth, 1, 1);
        return new WideRowCorrelation(narrowed, convolution.Taps, convolution.TapOffsets, outputHeight, outputWidth, kernelHeight, kernelWidth);
    }

    // Output column x reads columns x to x + kW - 1 of a full row, the last of them BufferWidth - 1. Past the end of a
    // narrower row the reads land in the next row's first columns, zeros while they are left padding (below Left). So a
    // row needs the output's width, every column holding values, and BufferWidth - Left columns at least; one zero row
    // more at the bottom takes the last row's overrun.
    private static Spread Narrowed(Spread spread, int outputWidth)
    {
        int full = spread.BufferWidth;
        int valuesEnd = Math.Min(full, spread.Left + (spread.Width - 1) * spread.SpacingX + 1);
        int width = Math.Max(outputWidth, Math.Max(valuesEnd, full - Math.Max(spread.Left, 0)));
        return width == full ? spread : spread with { BufferWidth = width, BufferHeight = spread.BufferHeight + 1 };
    }

    // The kernel rows [first, last] that meet a row holding values for some output row in [firstRow, lastRow]; the
    // others read only the zero rows above or below the input (or, past a row's end, the next row's left padding).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int First, int Last) KernelRows(int firstRow, int lastRow)
    {
        int top = Math.Max(Spread.Top, 0), bottom = Math.Min(Spread.Top + (Spread.Height - 1) * Spread.SpacingY, Spread.BufferHeight - 1);
        return (Math.Max(0, top - lastRow), Math.Min(kernelHeight - 1, bottom - firstRow));
    }

    /// <summary>
    /// The <c>channels x Taps</c> row-major <paramref name="weight"/> in blocks of a tile's rows, tap-major within a block
    /// (the weights one tap step broadcasts are adjacent), zero past the last channel; in this thread's scratch.
    /// </summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for the first second of a training run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float* PackWeights(float* weight, int channels)
    {
        int rows = TileShape(channels).Rows, blocks = RowBlocks(channels, rows);
        float* packed = ScratchBuffers.Get(ScratchPurpose.PackedB, blocks * rows * Taps);
        for (int block = 0; block < blocks; block++)
        {
            for (int tap = 0; tap < Taps; tap++)
            {
                for (int row = 0; row < rows; row++)
                {
                    int channel = block * rows + row;
                    packed[((nint)block * Taps + tap) * rows + row] = channel < channels ? weight[(nint)channel * Taps + tap] : 0f;
                }
            }
        }

        return packed;
    }

    /// <summary>
    /// One sample on this thread: <c>result[c, pixel] = sum over taps of W[c, tap] * buffer[position + TapOffsets[tap]]</c>,
    /// summed in tap order, then <c>+ bias[c]</c> (none when null) and <c>max(0, x)</c> when <paramref name="relu"/> is set:
    /// the implicit GEMM's sums in the same order, less the terms that multiply zero rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Correlate(float* sample, float* packedWeights, int outChannels, float* bias, bool relu, float* result)
    {
        float* buffer = ScratchBuffers.Get(ScratchPurpose.PaddedInput, SpreadStride);
        SpreadInto(sample, buffer);
        (int rows, int registers) = TileShape(outChannels);
        int length = WideLength(registers * WidestLanes.Count);
        float* wide = ScratchBuffers.Get(ScratchPurpose.Product, RowBlocks(outChannels, rows) * rows * length);
        var tiles = new ForwardTiles(this, buffer, packedWeights, RowBlocks(outChannels, rows), rows, registers, wide, length);
        WidestLanes.Run(ref tiles);
        CopyOut(wide, length, outChannels, bias, relu, result);
    }

    /// <summary>
    /// The share of the weight gradient of <paramref name="count"/> consecutive samples (inputs <paramref name="sampleSize"/>
    /// and output gradients <paramref name="gradientSize"/> apart), per lane: <c>laneSums[c, tap, lane] (+)= sum over samples
    /// and positions p = lane (mod lanes) of dY[c, p] * buffer[p + TapOffsets[tap]]</c>, samples in order; overwritten when
    /// <paramref name="first"/> is set. <see cref="SumLanes"/> finishes it. The more samples, the fewer times the sums
    /// leave the registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AccumulateWeightGradient(
        float* samples, int sampleSize, float* outputGradients, int gradientSize, int count, int outChannels, float* laneSums, bool first)
    {
        float* buffers = ScratchBuffers.Get(ScratchPurpose.PaddedInput, count * SpreadStride);
        int length = WideLength(WidestLanes.Count);
        float* wide = ScratchBuffers.Get(ScratchPurpose.Product, count * outChannels * length);
        for (int n = 0; n < count; n++)
        {
            SpreadInto(samples + (nint)n * sampleSize, buffers + (nint)n * SpreadStride);
            Widen(outputGradients + (nint)n * gradientSize, outChannels, wide + (nint)n * outChannels * length, length);
        }

        var blocks = new GradientBlocks(this, buffers, wide, length, count, outChannels, laneSums, first);
        WidestLanes.Run(ref blocks);
    }

    /// <summary>
    /// How many samples <see cref="AccumulateWeightGradient"/> should take at once: enough for some 48 register steps
    /// between stores of the sums (LeNet's second convolution has rows of only nine), at most what stays near L1.
    /// </summary>
    public int GradientSamples => Math.Clamp((48 * WidestLanes.Count + WideLength(WidestLanes.Count) - 1) / WideLength(WidestLanes.Count), 1, 8);

    /// <summary>Lane sums for the weight gradient, in this thread's scratch: <c>outChannels * Taps</c> registers.</summary>
    public float* LaneSums(int outChannels) => ScratchBuffers.Get(ScratchPurpose.LaneSums, outChannels * Taps * WidestLanes.Count);

    /// <summary><c>gradient[c, tap] = sum over lanes of laneSums[c, tap, lane]</c>, lanes in order: the weight gradient, OIHW.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SumLanes(float* laneSums, int outChannels, float* gradient)
    {
        int lanes = WidestLanes.Count;
        for (int i = 0; i < outChannels * Taps; i++, laneSums += lanes)
        {
            float sum = 0f;
            for (int lane = 0; lane < lanes; lane++)
            {
                sum += laneSums[lane];
            }

            gradient[i] = sum;
        }
    }

    /// <summary>Floats per spread sample: the buffer, then zeros for a tile's reach past it.</summary>
    private int SpreadStride => Spread.BufferSize + 2 * Tile;

    // The sample zero-padded, then zeros for a tile's reach past the buffer: the last tiles read there, and the weight
    // gradient multiplies what they read by zero gradients, which must not meet a NaN left in the scratch.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SpreadInto(float* sample, float* buffer)
    {
        Spread.Write(sample, buffer);
        new Span<float>(buffer + Spread.BufferSize, 2 * Tile).Clear();
    }

    // The output gradient in wide rows, zero at the positions past each row's pixels and past the last row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Widen(float* outputGradient, int channels, float* wide, int length)
    {
        int bufferWidth = Spread.BufferWidth;
        new Span<float>(wide, channels * length).Clear();
        for (int c = 0; c < channels; c++)
        {
            for (int oy = 0; oy < outputHeight; oy++)
            {
                float* source = outputGradient + ((nint)c * outputHeight + oy) * outputWidth;
                ShortRows.Copy(source, wide + (nint)c * length + oy * bufferWidth, outputWidth);
            }
        }
    }

    // Each output row's pixels from the wide rows, plus the bias, through the ReLU: as Transposition ends the GEMM's
    // product, and with the same operations (so the same bits). A row's last register overlaps the one before it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CopyOut(float* wide, int length, int channels, float* bias, bool relu, float* result)
    {
        int bufferWidth = Spread.BufferWidth, lanes = Vector256<float>.Count;
        bool vectorised = Vector256.IsHardwareAccelerated && outputWidth >= lanes;
        for (int c = 0; c < channels; c++)
        {
            // Negative zero leaves every value as it is, negative zero included.
            float add = bias == null ? -0f : bias[c], floor = relu ? 0f : float.NegativeInfinity;
            Vector256<float> addVector = Vector256.Create(add);
            for (int oy = 0; oy < outputHeight; oy++)
            {
                float* source = wide + (nint)c * length + oy * bufferWidth;
                float* target = result + ((nint)c * outputHeight + oy) * outputWidth;
                for (int next = 0; vectorised && next < outputWidth; next += lanes)
                {
                    int ox = Math.Min(next, outputWidth - lanes);
                    Vector256<float> value = Vector256.Load(source + ox) + addVector;
                    (relu ? Vector256.Max(value, Vector256<float>.Zero) : value).Store(target + ox);
                }

                for (int ox = 0; !vectorised && ox < outputWidth; ox++)
                {
                    target[ox] = MathF.Max(source[ox] + add, floor);
                }
            }
        }
    }

    /// <summary>
    /// Every tile of the forward correlation: blocks of <paramref name="rows"/> channels by <paramref name="registers"/>
    /// registers of positions (<see cref="TileShape"/>); wide rows <paramref name="length"/> apart.
    /// </summary>
    private readonly struct ForwardTiles(WideRowCorrelation correlation, float* buffer, float* packedWeights, int rowBlocks, int rows, int registers, float* wide, int length)
        : ILanesAction
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run<TLanes, TVector>()
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            int taps = correlation.Taps, tile = registers * TLanes.Count, bufferWidth = correlation.Spread.BufferWidth;
            int kernel = correlation.kernelHeight * correlation.kernelWidth, lastPosition = correlation.Positions - 1;
            for (int position = 0; position < length; position += tile)
            {
                // Per input channel, one run of taps: the kernel rows this tile's output rows need.
                (int first, int last) = correlation.KernelRows(position / bufferWidth, Math.Min(position + tile - 1, lastPosition) / bufferWidth);
                int runTaps = Math.Max(0, last - first + 1) * correlation.kernelWidth, skipped = first * correlation.kernelWidth;
                (int runs, int runLength) = runTaps == kernel ? (1, taps) : (correlation.Spread.Channels, runTaps);
                for (int block = 0; block < rowBlocks; block++)
                {
                    float* weights = packedWeights + ((nint)block * taps + skipped) * rows, tileStart = wide + (nint)block * rows * length + position;
                    if (registers == 3)
                    {
                        ForwardLongTile<TLanes, TVector>(runs, runLength, kernel, weights, buffer + position, correlation.TapOffsets + skipped, tileStart, length);
                    }
                    else if (registers == 1)
                    {
                        ForwardTallTile<TLanes, TVector>(runs, runLength, kernel, weights, buffer + position, correlation.TapOffsets + skipped, tileStart, length);
                    }
                    else
                    {
                        ForwardTile<TLanes, TVector>(runs, runLength, kernel, weights, buffer + position, correlation.TapOffsets + skipped, tileStart, length);
                    }
                }
            }
        }
    }

    /// <summary>Every block of the weight gradient: <see cref="Rows"/> channels by <see cref="TapsPerBlock"/> taps, one register of positions at a time.</summary>
    private readonly struct GradientBlocks(
        WideRowCorrelation correlation, float* buffers, float* wideGradients, int length, int samples, int channels, float* laneSums, bool first)
        : ILanesAction
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run<TLanes, TVector>()
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            int taps = correlation.Taps;
            int* tapOffsets = stackalloc int[TapsPerBlock];
            // Eight rows where 32 registers hold 24 sums and they leave fewer rows empty than blocks of six (8 or 16 channels).
            int rows = TLanes.Count == Lanes512.Count && RowBlocks(channels, LongRows) * LongRows <= RowBlocks(channels, Rows) * Rows ? LongRows : Rows;
            for (int channel = 0; channel < channels; channel += rows)
            {
                for (int tap = 0; tap < taps; tap += TapsPerBlock)
                {
                    // Past the last channel or tap, the block repeats the last one and its sums are dropped.
                    for (int t = 0; t < TapsPerBlock; t++)
                    {
                        tapOffsets[t] = correlation.TapOffsets[Math.Min(tap + t, taps - 1)];
                    }

                    float* sums = laneSums + ((nint)channel * taps + tap) * TLanes.Count;
                    int validTaps = Math.Min(TapsPerBlock, taps - tap);
                    if (rows == LongRows)
                    {
                        GradientBlock<TLanes, TVector, EightRows>(
                            samples, length, wideGradients, (nint)channels * length, channel, channels, buffers, correlation.SpreadStride, tapOffsets, sums, validTaps, taps, first);
                    }
                    else
                    {
                        GradientBlock<TLanes, TVector, SixRows>(
                            samples, length, wideGradients, (nint)channels * length, channel, channels, buffers, correlation.SpreadStride, tapOffsets, sums, validTaps, taps, first);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>wide[r, 0..2w] = sum over taps p of weights[p, r] * data[tapOffsets[p] + 0..2w]</c> for the six rows (r, rows
    /// <paramref name="stride"/> apart), each summed in tap order with one fused multiply-add per step; the taps are
    /// <paramref name="runs"/> runs of <paramref name="runLength"/>, one every <paramref name="runStride"/>.
    /// </summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTile<TLanes, TVector>(int runs, int runLength, int runStride, float* weights, float* data, int* tapOffsets, float* wide, nint stride)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int width = TLanes.Count;
        // The GEMM micro-kernel's tile: the weights are what it broadcasts, the buffer's runs what it loads.
        var tile = default(GemmTileRows<TLanes, TVector>);
        for (int run = 0; run < runs; run++)
        {
            float* w6 = weights + (nint)run * runStride * Rows;
            int* offsets = tapOffsets + run * runStride;
            for (int p = 0; p < runLength; p++, w6 += Rows)
            {
                float* x = data + offsets[p];
                tile.Add(TLanes.Load(x), TLanes.Load(x + width), w6, w6 + 1, w6 + 2, w6 + 3, w6 + 4, w6 + 5);
            }
        }

        tile.Store(wide, stride, overwrite: true);
    }

    /// <summary>
    /// As <see cref="ForwardTile"/> for eight rows of three registers: <c>wide[r, 0..3w] = sum over taps p of
    /// weights[p, r] * data[tapOffsets[p] + 0..3w]</c>, each summed in tap order with one fused multiply-add per step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardLongTile<TLanes, TVector>(int runs, int runLength, int runStride, float* weights, float* data, int* tapOffsets, float* wide, nint stride)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int width = TLanes.Count;
        LongTileRow<TLanes, TVector> r0 = default, r1 = default, r2 = default, r3 = default, r4 = default, r5 = default, r6 = default, r7 = default;
        for (int run = 0; run < runs; run++)
        {
            float* w8 = weights + (nint)run * runStride * LongRows;
            int* offsets = tapOffsets + run * runStride;
            for (int p = 0; p < runLength; p++, w8 += LongRows)
            {
                float* source = data + offsets[p];
                TVector x = TLanes.Load(source), y = TLanes.Load(source + width), z = TLanes.Load(source + 2 * width);
                r0.Add(w8[0], x, y, z);
                r1.Add(w8[1], x, y, z);
                r2.Add(w8[2], x, y, z);
                r3.Add(w8[3], x, y, z);
                r4.Add(w8[4], x, y, z);
                r5.Add(w8[5], x, y, z);
                r6.Add(w8[6], x, y, z);
                r7.Add(w8[7], x, y, z);
            }
        }

        r0.Store(wide, width);
        r1.Store(wide + stride, width);
        r2.Store(wide + 2 * stride, width);
        r3.Store(wide + 3 * stride, width);
        r4.Store(wide + 4 * stride, width);
        r5.Store(wide + 5 * stride, width);
        r6.Store(wide + 6 * stride, width);
        r7.Store(wide + 7 * stride, width);
    }

    /// <summary>One channel of a long tile: three registers of sums in a local struct, kept in registers.</summary>
    private struct LongTileRow<TLanes, TVector>
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        private TVector first, second, third;

        /// <summary>The channel's weight for one tap times the tap's three registers of data.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(float weight, TVector x, TVector y, TVector z)
        {
            TVector w = TLanes.Broadcast(weight);
            first = TLanes.MultiplyAdd(w, x, first);
            second = TLanes.MultiplyAdd(w, y, second);
            third = TLanes.MultiplyAdd(w, z, third);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Store(float* row, int width)
        {
            TLanes.Store(row, first);
            TLanes.Store(row + width, second);
            TLanes.Store(row + 2 * width, third);
        }
    }

    /// <summary>
    /// As <see cref="ForwardTile"/> for sixteen rows of one register: <c>wide[r, 0..w] = sum over taps p of
    /// weights[p, r] * data[tapOffsets[p] + 0..w]</c>, each summed in tap order with one fused multiply-add per step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardTallTile<TLanes, TVector>(int runs, int runLength, int runStride, float* weights, float* data, int* tapOffsets, float* wide, nint stride)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        TVector c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        TVector c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        for (int run = 0; run < runs; run++)
        {
            float* w16 = weights + (nint)run * runStride * TallRows;
            int* offsets = tapOffsets + run * runStride;
            for (int p = 0; p < runLength; p++, w16 += TallRows)
            {
                TVector x = TLanes.Load(data + offsets[p]);
                c0 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[0]), x, c0);
                c1 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[1]), x, c1);
                c2 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[2]), x, c2);
                c3 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[3]), x, c3);
                c4 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[4]), x, c4);
                c5 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[5]), x, c5);
                c6 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[6]), x, c6);
                c7 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[7]), x, c7);
                c8 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[8]), x, c8);
                c9 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[9]), x, c9);
                c10 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[10]), x, c10);
                c11 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[11]), x, c11);
                c12 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[12]), x, c12);
                c13 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[13]), x, c13);
                c14 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[14]), x, c14);
                c15 = TLanes.MultiplyAdd(TLanes.Broadcast(w16[15]), x, c15);
            }
        }

        TLanes.Store(wide, c0);
        TLanes.Store(wide + stride, c1);
        TLanes.Store(wide + 2 * stride, c2);
        TLanes.Store(wide + 3 * stride, c3);
        TLanes.Store(wide + 4 * stride, c4);
        TLanes.Store(wide + 5 * stride, c5);
        TLanes.Store(wide + 6 * stride, c6);
        TLanes.Store(wide + 7 * stride, c7);
        TLanes.Store(wide + 8 * stride, c8);
        TLanes.Store(wide + 9 * stride, c9);
        TLanes.Store(wide + 10 * stride, c10);
        TLanes.Store(wide + 11 * stride, c11);
        TLanes.Store(wide + 12 * stride, c12);
        TLanes.Store(wide + 13 * stride, c13);
        TLanes.Store(wide + 14 * stride, c14);
        TLanes.Store(wide + 15 * stride, c15);
    }

    /// <summary>
    /// For <typeparamref name="TRows"/> channels from <paramref name="first"/> and three taps: <c>laneSums[c, t] (+)= sum
    /// over samples and registers v of gradient[c, v] * data[v + tapOffsets[t]]</c>, lane by lane, over
    /// <paramref name="length"/> positions of each of <paramref name="samples"/> samples (their data and gradients the
    /// given strides apart). A channel past the last repeats it and a tap past <paramref name="validTaps"/> repeats one,
    /// and neither is stored. Each lane's sum runs over the same positions in the same order whatever the block's rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GradientBlock<TLanes, TVector, TRows>(
        int samples, int length, float* gradient, nint gradientStride, int first, int channels, float* data, nint dataStride, int* tapOffsets, float* laneSums,
        int validTaps, int taps, bool overwrite)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
        where TRows : struct, IBlockRows
    {
        // A constant for each instantiation: the JIT drops the fourth pair of a six-row block, registers and all.
        bool eight = TRows.Count == LongRows;
        var rows = new GradientRows(gradient, first, channels, length);
        GradientRowPair<TLanes, TVector> p0 = default, p1 = default, p2 = default, p3 = default;
        for (int n = 0; n < samples; n++, data += dataStride)
        {
            nint sample = n * gradientStride;
            float* g0 = rows.Row(0) + sample, g1 = rows.Row(1) + sample, g2 = rows.Row(2) + sample, g3 = rows.Row(3) + sample, g4 = rows.Row(4) + sample, g5 = rows.Row(5) + sample;
            float* g6 = eight ? rows.Row(6) + sample : null, g7 = eight ? rows.Row(7) + sample : null;
            float* x0 = data + tapOffsets[0], x1 = data + tapOffsets[1], x2 = data + tapOffsets[2];
            for (int v = 0; v < length; v += TLanes.Count)
            {
                TVector a = TLanes.Load(x0 + v), b = TLanes.Load(x1 + v), c = TLanes.Load(x2 + v);
                p0.Add(g0 + v, g1 + v, a, b, c);
                p1.Add(g2 + v, g3 + v, a, b, c);
                p2.Add(g4 + v, g5 + v, a, b, c);
                if (eight)
                {
                    p3.Add(g6 + v, g7 + v, a, b, c);
                }
            }
        }

        var sums = new GradientSums(laneSums, taps * TLanes.Count, Math.Min(TRows.Count, channels - first), TLanes.Count, validTaps, overwrite);
        p0.Store(sums, 0);
        p1.Store(sums, 2);
        p2.Store(sums, 4);
        if (eight)
        {
            p3.Store(sums, 6);
        }
    }

    /// <summary>Channels per block of the weight gradient, as a type so that each block shape is compiled on its own.</summary>
    private interface IBlockRows
    {
        static abstract int Count { get; }
    }

    /// <summary>Blocks of <see cref="Rows"/> channels: eighteen sums, for any register width.</summary>
    private readonly struct SixRows : IBlockRows
    {
        public static int Count => Rows;
    }

    /// <summary>Blocks of <see cref="LongRows"/> channels: 24 sums, where 32 registers hold them.</summary>
    private readonly struct EightRows : IBlockRows
    {
        public static int Count => LongRows;
    }

    // A block's rows of the widened output gradient: row k is channel first + k, or the last channel past it.
    private readonly struct GradientRows(float* gradient, int first, int channels, int length)
    {
        public float* Row(int k) => gradient + (nint)Math.Min(first + k, channels - 1) * length;
    }

    // Where a block's lane sums go: row k's three taps, or nowhere for a row past the last channel.
    private readonly struct GradientSums(float* laneSums, nint channelStride, int rows, int width, int validTaps, bool overwrite)
    {
        public void Store<TLanes, TVector>(int row, TVector first, TVector second, TVector third)
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged =>
            StoreSums<TLanes, TVector>(row < rows ? laneSums + row * channelStride : null, width, validTaps, overwrite, first, second, third);
    }

    /// <summary>
    /// Two channels' weight-gradient sums for three taps: six accumulators in a local struct that never escapes, so the
    /// JIT keeps them in registers (as <see cref="GemmTileRows{TLanes, TVector}"/>); a block is three or four of these.
    /// </summary>
    private struct GradientRowPair<TLanes, TVector>
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        private TVector s00, s01, s02, s10, s11, s12;

        /// <summary>Each row's register of gradient times each tap's register of data, one fused multiply-add per sum.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(float* firstRow, float* secondRow, TVector a, TVector b, TVector c)
        {
            TVector g = TLanes.Load(firstRow);
            s00 = TLanes.MultiplyAdd(g, a, s00);
            s01 = TLanes.MultiplyAdd(g, b, s01);
            s02 = TLanes.MultiplyAdd(g, c, s02);
            g = TLanes.Load(secondRow);
            s10 = TLanes.MultiplyAdd(g, a, s10);
            s11 = TLanes.MultiplyAdd(g, b, s11);
            s12 = TLanes.MultiplyAdd(g, c, s12);
        }

        /// <summary>Rows <paramref name="row"/> and the next into <paramref name="sums"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Store(GradientSums sums, int row)
        {
            sums.Store<TLanes, TVector>(row, s00, s01, s02);
            sums.Store<TLanes, TVector>(row + 1, s10, s11, s12);
        }
    }

    // One channel's sums for up to three taps, registers apart; nothing for a channel past the last (a null row).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums<TLanes, TVector>(float* row, int width, int validTaps, bool overwrite, TVector first, TVector second, TVector third)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        if (row == null)
        {
            return;
        }

        GemmMicroKernel.StoreOrAdd<TLanes, TVector>(row, first, overwrite);
        if (validTaps > 1)
        {
            GemmMicroKernel.StoreOrAdd<TLanes, TVector>(row + width, second, overwrite);
        }

        if (validTaps > 2)
        {
            GemmMicroKernel.StoreOrAdd<TLanes, TVector>(row + 2 * width, third, overwrite);
        }
    }
}
