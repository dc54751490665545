using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// Raw operands of one product <c>C[m, n] (+)= op(A) * op(B)</c>, all row-major. A value type holding pointers, so
/// that a part of the product can be handed to another thread without allocating; the caller keeps them pinned.
/// </summary>
internal readonly unsafe struct GemmOperands(bool transposeA, bool transposeB, int m, int n, int k, float* a, float* b, float* c)
{
    public bool TransposeA { get; } = transposeA;

    public bool TransposeB { get; } = transposeB;

    public int M { get; } = m;

    public int N { get; } = n;

    public int K { get; } = k;

    public float* A { get; } = a;

    public float* B { get; } = b;

    public float* C { get; } = c;
}

/// <summary>
/// The cache-blocked product (Goto's algorithm): B is packed a <see cref="DepthBlock"/> x <see cref="ColumnBlock"/>
/// block at a time, A a <see cref="RowBlock"/> x <see cref="DepthBlock"/> block at a time, and the micro-kernel
/// sweeps a B panel that stays in L1 down every A panel of the block. Every value of C is summed in the same order
/// whatever rows or columns a caller asks for, so splitting C between threads never changes a result.
/// </summary>
internal static unsafe class GemmBlocked
{
    /// <summary>Steps of the inner dimension per block: a 256 x 32 panel of B (32 KiB) fits L1 beside a panel of A.</summary>
    public const int DepthBlock = 256;

    /// <summary>Rows of A per packed block: 120 x 256 floats (120 KiB) stay in L2.</summary>
    public const int RowBlock = 20 * GemmMicroKernel.Rows;

    /// <summary>Columns of B per packed block: 2048 x 256 floats (2 MiB) stay in L2 or L3.</summary>
    public const int ColumnBlock = 2048;

    /// <summary>Computes rows <c>[rowStart, rowEnd)</c> x columns <c>[columnStart, columnEnd)</c> of C on this thread.</summary>
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TLanes, TVector>(in GemmOperands operands, int rowStart, int rowEnd, int columnStart, int columnEnd, bool accumulate)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        const int tileRows = GemmMicroKernel.Rows;
        int tileColumns = GemmMicroKernel.Columns<TLanes, TVector>();
        int m = operands.M, n = operands.N, k = operands.K;
        float* packedA = Parallel.ScratchBuffers.Get(Parallel.ScratchPurpose.PackedA, RowBlock * DepthBlock);
        float* packedB = Parallel.ScratchBuffers.Get(Parallel.ScratchPurpose.PackedB, ColumnBlock * DepthBlock);
        float* edgeTile = stackalloc float[tileRows * 2 * 16];

        // Where op(X)[row, col] lives: transposition only swaps the strides.
        nint aRowStride = operands.TransposeA ? 1 : k, aDepthStride = operands.TransposeA ? m : 1;
        nint bColumnStride = operands.TransposeB ? k : 1, bDepthStride = operands.TransposeB ? 1 : n;

        for (int columnBlock = columnStart; columnBlock < columnEnd; columnBlock += ColumnBlock)
        {
            int blockColumns = Math.Min(ColumnBlock, columnEnd - columnBlock);
            for (int depthBlock = 0; depthBlock < k; depthBlock += DepthBlock)
            {
                int blockDepth = Math.Min(DepthBlock, k - depthBlock);
                bool overwrite = depthBlock == 0 && !accumulate;
                GemmPacking.PackPanels(
                    operands.B + columnBlock * bColumnStride + depthBlock * bDepthStride, bColumnStride, bDepthStride,
                    blockColumns, blockDepth, tileColumns, packedB);
                for (int rowBlock = rowStart; rowBlock < rowEnd; rowBlock += RowBlock)
                {
                    int blockRows = Math.Min(RowBlock, rowEnd - rowBlock);
                    GemmPacking.PackPanels(
                        operands.A + rowBlock * aRowStride + depthBlock * aDepthStride, aRowStride, aDepthStride,
                        blockRows, blockDepth, tileRows, packedA);
                    for (int column = 0; column < blockColumns; column += tileColumns)
                    {
                        float* panelB = packedB + (nint)column * blockDepth;
                        int columns = Math.Min(tileColumns, blockColumns - column);
                        for (int row = 0; row < blockRows; row += tileRows)
                        {
                            float* panelA = packedA + (nint)row * blockDepth;
                            float* tile = operands.C + (nint)(rowBlock + row) * n + columnBlock + column;
                            int rows = Math.Min(tileRows, blockRows - row);
                            if (rows == tileRows && columns == tileColumns)
                            {
                                GemmMicroKernel.Run<TLanes, TVector>(blockDepth, panelA, panelB, tile, n, overwrite);
                            }
                            else
                            {
                                GemmMicroKernel.Run<TLanes, TVector>(blockDepth, panelA, panelB, edgeTile, tileColumns, overwrite: true);
                                StoreEdge(edgeTile, tileColumns, tile, n, rows, columns, overwrite);
                            }
                        }
                    }
                }
            }
        }
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
