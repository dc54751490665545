using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// The cache-blocked product (Goto's algorithm) <c>C (+)= A * B</c> over <see cref="GemmOperand"/>s: for a
/// <see cref="DepthBlock"/> of the inner dimension, one panel of B (2 registers wide) stays in L1 while the
/// micro-kernel sweeps a <see cref="RowBlock"/> of A's rows, which stays in L2 for every panel. Where the registers
/// allow two panels of A at a time, the blocks are <see cref="PairedDepthBlock"/> deep instead. Strided operands are
/// packed a block at a time, just before use, so the packed copy is still in cache when it is read; an operand that
/// comes packed whole is read in place. Every value of C is summed in the same order whatever rows or columns a
/// caller asks for, so splitting C between threads never changes a result.
/// </summary>
internal static unsafe class GemmBlocked
{
    /// <summary>Steps of the inner dimension per block: a 256 x 32 panel of B (32 KiB) fits L1 beside six rows of A.</summary>
    public const int DepthBlock = 256;

    /// <summary>
    /// Steps per block when the micro-kernel takes two packed panels of A (twelve rows) per call: each load of B then
    /// feeds 24 multiply-adds, few enough for B's panel to stream from L2, and the deeper the block the fewer trips
    /// over C. 1024 rather than 256 took a tenth off a 1024^3 product on two cores.
    /// </summary>
    public const int PairedDepthBlock = 1024;

    /// <summary>Rows of A per block: 120 x 256 values (120 KiB; 480 KiB when paired) stay in L2 while every panel of B passes by.</summary>
    public const int RowBlock = 20 * GemmMicroKernel.Rows;

    /// <summary>Columns of B per block: 256 x 256 values (256 KiB; 1 MiB when paired) stay in L2 beside the block of A.</summary>
    public const int ColumnBlock = 256;

    // How the micro-kernel reads a packed panel of A: row r of step p at p * Rows + r. Pinned for good.
    private static readonly int[] PanelRowsArray = GC.AllocateArray<int>(GemmMicroKernel.Rows, pinned: true);
    private static readonly int[] PanelStepsArray = GC.AllocateArray<int>(PairedDepthBlock, pinned: true);
    private static readonly int* PanelRows = Pin(PanelRowsArray, 1);
    private static readonly int* PanelSteps = Pin(PanelStepsArray, GemmMicroKernel.Rows);

    /// <summary>
    /// Computes rows <c>[rowStart, rowEnd)</c> x columns <c>[columnStart, columnEnd)</c> of <c>C[m, n] (+)= A[m, k] * B[k, n]</c>
    /// on this thread; <paramref name="columnStart"/> is a multiple of the tile width, and <paramref name="rowStart"/> of
    /// <see cref="GemmMicroKernel.Rows"/> when A comes packed. C rows are <paramref name="cStride"/> apart.
    /// </summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TLanes, TVector>(
        in GemmOperand a, in GemmOperand b, int k, float* c, nint cStride, int rowStart, int rowEnd, int columnStart, int columnEnd, bool accumulate)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        const int tileRows = GemmMicroKernel.Rows;
        int tileColumns = GemmMicroKernel.Columns<TLanes, TVector>();
        bool pairs = GemmMicroKernel.PairsPanels<TLanes, TVector>();
        int depthStep = pairs && (a.IsPacked || a.IsStrided) ? PairedDepthBlock : DepthBlock;
        float* edgeTile = stackalloc float[tileRows * 2 * 16];
        int* edgeRows = stackalloc int[tileRows];
        if (k == 0 && !accumulate)
        {
            for (int row = rowStart; row < rowEnd; row++)
            {
                new Span<float>(c + row * cStride + columnStart, columnEnd - columnStart).Clear();
            }
        }

        for (int columnBlock = columnStart; columnBlock < columnEnd; columnBlock += ColumnBlock)
        {
            int blockColumnEnd = Math.Min(columnBlock + ColumnBlock, columnEnd);
            for (int depthBlock = 0; depthBlock < k; depthBlock += depthStep)
            {
                int blockDepth = Math.Min(depthStep, k - depthBlock);
                bool overwrite = depthBlock == 0 && !accumulate;
                // This block's panels of B: packed now, or found in place (each panel then the whole depth long).
                float* panels = b.IsPacked
                    ? b.Values + (nint)columnBlock * k + (nint)depthBlock * tileColumns
                    : PackBlock(ScratchPurpose.PackedB, b, columnBlock, blockColumnEnd - columnBlock, depthBlock, blockDepth, tileColumns);
                nint panelDepth = b.IsPacked ? k : blockDepth;
                for (int rowBlock = rowStart; rowBlock < rowEnd; rowBlock += RowBlock)
                {
                    int blockEnd = Math.Min(rowBlock + RowBlock, rowEnd);
                    // This block's panels of A: found packed, packed now, or none when A is read through offsets.
                    float* packedA = a.IsPacked
                        ? a.Values + (nint)rowBlock * k + (nint)depthBlock * tileRows
                        : a.IsStrided ? PackBlock(ScratchPurpose.PackedA, a, rowBlock, blockEnd - rowBlock, depthBlock, blockDepth, tileRows) : null;
                    nint panelDepthA = a.IsPacked ? k : blockDepth;
                    for (int column = columnBlock; column < blockColumnEnd; column += tileColumns)
                    {
                        float* panel = panels + (column - columnBlock) * panelDepth;
                        int columns = Math.Min(tileColumns, blockColumnEnd - column);
                        for (int row = rowBlock; row < blockEnd; row += tileRows)
                        {
                            float* tile = c + row * cStride + column;
                            int rows = Math.Min(tileRows, blockEnd - row);
                            // A packed panel is zero past its last row; read in place, the last row stands in for any missing ones.
                            float* values = packedA != null ? packedA + (row - rowBlock) * panelDepthA : a.Values;
                            if (pairs && packedA != null && blockEnd - row >= 2 * tileRows && columns == tileColumns)
                            {
                                GemmMicroKernel.RunPair<TLanes, TVector>(blockDepth, values, values + tileRows * panelDepthA, panel, tile, cStride, overwrite);
                                row += tileRows;
                                continue;
                            }

                            // Seven rows left, read in place: one tile of seven where the registers hold it, not six and a padded one.
                            if (pairs && packedA == null && blockEnd - row == tileRows + 1 && columns == tileColumns)
                            {
                                GemmMicroKernel.RunSeven<TLanes, TVector>(blockDepth, a.Values, a.RowOffsets + row, a.DepthOffsets + depthBlock, panel, tile, cStride, overwrite);
                                row += 1;
                                continue;
                            }

                            int* rowOffsets = packedA != null ? PanelRows : rows == tileRows ? a.RowOffsets + row : EdgeRows(a.RowOffsets + row, rows, edgeRows);
                            int* depthOffsets = packedA != null ? PanelSteps : a.DepthOffsets + depthBlock;
                            // A tile whose columns fit one register runs narrow: the other register would only multiply B's padding.
                            bool narrow = columns <= TLanes.Count;
                            if (rows == tileRows && columns == (narrow ? TLanes.Count : tileColumns))
                            {
                                GemmMicroKernel.Run<TLanes, TVector>(blockDepth, values, rowOffsets, depthOffsets, panel, tile, cStride, overwrite, narrow);
                            }
                            else
                            {
                                GemmMicroKernel.Run<TLanes, TVector>(blockDepth, values, rowOffsets, depthOffsets, panel, edgeTile, tileColumns, overwrite: true, narrow);
                                StoreEdge(edgeTile, tileColumns, tile, cStride, rows, columns, overwrite);
                            }
                        }
                    }
                }
            }
        }
    }

    // A block of a strided operand copied into panels, in this thread's scratch.
    private static float* PackBlock(ScratchPurpose purpose, in GemmOperand x, int first, int count, int depth, int blockDepth, int panelWidth)
    {
        float* packed = ScratchBuffers.Get(purpose, (count + panelWidth) * blockDepth);
        GemmPacking.PackPanels(x.Values + first * x.Stride + depth * x.DepthStride, x.Stride, x.DepthStride, count, blockDepth, panelWidth, packed);
        return packed;
    }

    private static int* Pin(int[] table, int step)
    {
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = i * step;
        }

        return (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(table));
    }

    // The last rows of A repeated to fill a tile: the extra rows of the result are computed and thrown away.
    private static int* EdgeRows(int* rowOffsets, int rows, int* edgeRows)
    {
        for (int row = 0; row < GemmMicroKernel.Rows; row++)
        {
            edgeRows[row] = rowOffsets[Math.Min(row, rows - 1)];
        }

        return edgeRows;
    }

    // A tile that overhangs C was computed in full into scratch; only its valid corner is written back.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreEdge(float* source, int sourceStride, float* destination, nint destinationStride, int rows, int columns, bool overwrite)
    {
        for (int row = 0; row < rows; row++, source += sourceStride, destination += destinationStride)
        {
            for (int column = 0; column < columns; column++)
            {
                destination[column] = overwrite ? source[column] : destination[column] + source[column];
            }
        }
    }
}
