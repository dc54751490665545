using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>
/// The innermost GEMM step: a <see cref="Rows"/> x (2 registers) tile of C, held in twelve accumulators so that both
/// FMA units stay busy while loads are in flight. B comes packed (one panel of 2 registers per step); A is read where
/// it lies, through offsets (see <see cref="GemmOperand"/>), so an unfolded convolution input or a transposed weight
/// never has to be copied out first. With 512-bit registers, packed A goes two panels at a time (<see cref="RunPair{TLanes, TVector}"/>).
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of C per tile: six rows times two registers are twelve accumulators, leaving registers for operands.</summary>
    public const int Rows = 6;

    /// <summary>Columns of C per tile for a register width: two registers.</summary>
    public static int Columns<TLanes, TVector>()
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged => 2 * TLanes.Count;

    /// <summary>
    /// <c>C[r, 0..2w] (+)= sum over p &lt; depth of A(r, p) * B[p, 0..2w]</c> with <c>A(r, p) = a[rowOffsets[r] + depthOffsets[p]]</c>
    /// for the six rows, and B a packed panel of <paramref name="depth"/> steps of 2w values; C rows are
    /// <paramref name="cStride"/> apart. Each value of C is summed in step order, one fused multiply-add per step.
    /// </summary>
    /// <remarks>
    /// <paramref name="narrow"/>: only the first register of columns, <c>C[r, 0..w]</c>, for a tile whose columns fit
    /// one (B's panel is still 2w wide, zero past the product's last column). Six accumulators, half the multiply-adds,
    /// and each value summed exactly as the full tile sums it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLanes, TVector>(int depth, float* a, int* rowOffsets, int* depthOffsets, float* b, float* c, nint cStride, bool overwrite, bool narrow = false)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        if (narrow)
        {
            RunNarrow<TLanes, TVector>(depth, a, rowOffsets, depthOffsets, b, c, cStride, overwrite);
            return;
        }

        int width = TLanes.Count;
        PrefetchTile(c, cStride, 2 * width);
        float* a0 = a + rowOffsets[0], a1 = a + rowOffsets[1], a2 = a + rowOffsets[2];
        float* a3 = a + rowOffsets[3], a4 = a + rowOffsets[4], a5 = a + rowOffsets[5];
        var tile = default(GemmTileRows<TLanes, TVector>);
        for (int p = 0; p < depth; p++, b += 2 * width)
        {
            nint offset = depthOffsets[p];
            tile.Add(TLanes.Load(b), TLanes.Load(b + width), a0 + offset, a1 + offset, a2 + offset, a3 + offset, a4 + offset, a5 + offset);
        }

        tile.Store(c, cStride, overwrite);
    }

    /// <summary>
    /// As <see cref="Run{TLanes, TVector}"/> for seven rows read through offsets: the last rows of a product whose rows
    /// leave one over after tiles of six (a 7x7 plane's 49 pixels), in one tile instead of a seventh row computed in a
    /// tile of six copies. Fourteen accumulators, so only where 32 registers hold them (<see cref="PairsPanels{TLanes, TVector}"/>);
    /// each value of C summed exactly as <see cref="Run{TLanes, TVector}"/> sums it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunSeven<TLanes, TVector>(int depth, float* a, int* rowOffsets, int* depthOffsets, float* b, float* c, nint cStride, bool overwrite)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int width = TLanes.Count;
        float* lastC = c + Rows * cStride;
        PrefetchTile(c, cStride, 2 * width);
        float* a0 = a + rowOffsets[0], a1 = a + rowOffsets[1], a2 = a + rowOffsets[2];
        float* a3 = a + rowOffsets[3], a4 = a + rowOffsets[4], a5 = a + rowOffsets[5], a6 = a + rowOffsets[6];
        var tile = default(GemmTileRows<TLanes, TVector>);
        TVector lastLeft = default, lastRight = default;
        for (int p = 0; p < depth; p++, b += 2 * width)
        {
            nint offset = depthOffsets[p];
            TVector left = TLanes.Load(b), right = TLanes.Load(b + width);
            tile.Add(left, right, a0 + offset, a1 + offset, a2 + offset, a3 + offset, a4 + offset, a5 + offset);
            TVector x = TLanes.Broadcast(a6[offset]);
            lastLeft = TLanes.MultiplyAdd(x, left, lastLeft);
            lastRight = TLanes.MultiplyAdd(x, right, lastRight);
        }

        tile.Store(c, cStride, overwrite);
        StoreOrAdd<TLanes, TVector>(lastC, lastLeft, overwrite);
        StoreOrAdd<TLanes, TVector>(lastC + width, lastRight, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunNarrow<TLanes, TVector>(int depth, float* a, int* rowOffsets, int* depthOffsets, float* b, float* c, nint cStride, bool overwrite)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int width = TLanes.Count;
        PrefetchTile(c, cStride, width);
        float* a0 = a + rowOffsets[0], a1 = a + rowOffsets[1], a2 = a + rowOffsets[2];
        float* a3 = a + rowOffsets[3], a4 = a + rowOffsets[4], a5 = a + rowOffsets[5];
        TVector c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < depth; p++, b += 2 * width)
        {
            nint offset = depthOffsets[p];
            TVector x = TLanes.Load(b);
            c0 = TLanes.MultiplyAdd(TLanes.Broadcast(a0[offset]), x, c0);
            c1 = TLanes.MultiplyAdd(TLanes.Broadcast(a1[offset]), x, c1);
            c2 = TLanes.MultiplyAdd(TLanes.Broadcast(a2[offset]), x, c2);
            c3 = TLanes.MultiplyAdd(TLanes.Broadcast(a3[offset]), x, c3);
            c4 = TLanes.MultiplyAdd(TLanes.Broadcast(a4[offset]), x, c4);
            c5 = TLanes.MultiplyAdd(TLanes.Broadcast(a5[offset]), x, c5);
        }

        StoreOrAdd<TLanes, TVector>(c, c0, overwrite);
        StoreOrAdd<TLanes, TVector>(c + cStride, c1, overwrite);
        StoreOrAdd<TLanes, TVector>(c + 2 * cStride, c2, overwrite);
        StoreOrAdd<TLanes, TVector>(c + 3 * cStride, c3, overwrite);
        StoreOrAdd<TLanes, TVector>(c + 4 * cStride, c4, overwrite);
        StoreOrAdd<TLanes, TVector>(c + 5 * cStride, c5, overwrite);
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/>, or adds it to what is there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreOrAdd<TLanes, TVector>(float* destination, TVector value, bool overwrite)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged =>
        TLanes.Store(destination, overwrite ? value : TLanes.Add(TLanes.Load(destination), value));

    /// <summary>
    /// Whether <see cref="RunPair{TLanes, TVector}"/> suits this register width: its 24 accumulators, the operands
    /// beside them, need the 32 registers that come with 512-bit vectors.
    /// </summary>
    public static bool PairsPanels<TLanes, TVector>()
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged => TLanes.Count == Lanes512.Count;

    /// <summary>
    /// As <see cref="Run{TLanes, TVector}"/> for <c>2 * Rows</c> rows of A packed in two panels (<paramref name="top"/>
    /// and <paramref name="bottom"/>, step p of row r at <c>p * Rows + r</c>): each load of B and each trip to C then
    /// serves twice the multiply-adds. Every value of C comes out exactly as <see cref="Run{TLanes, TVector}"/> computes it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPair<TLanes, TVector>(int depth, float* top, float* bottom, float* b, float* c, nint cStride, bool overwrite)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int width = TLanes.Count;
        float* lowerC = c + Rows * cStride;
        PrefetchTile(c, cStride, 2 * width);
        PrefetchTile(lowerC, cStride, 2 * width);
        var upper = default(GemmTileRows<TLanes, TVector>);
        var lower = default(GemmTileRows<TLanes, TVector>);
        for (int p = 0; p < depth; p++, top += Rows, bottom += Rows, b += 2 * width)
        {
            TVector left = TLanes.Load(b), right = TLanes.Load(b + width);
            upper.Add(left, right, top, top + 1, top + 2, top + 3, top + 4, top + 5);
            lower.Add(left, right, bottom, bottom + 1, bottom + 2, bottom + 3, bottom + 4, bottom + 5);
        }

        upper.Store(c, cStride, overwrite);
        lower.Store(lowerC, cStride, overwrite);
    }

    // C is read (or overwritten) only after the loop, often from far out in the cache hierarchy: fetching its lines
    // while the loop runs hides that latency. A hint only, so the paths without x86 intrinsics simply skip it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint cStride, int columns)
    {
        if (Sse.IsSupported)
        {
            for (int row = 0; row < Rows; row++, c += cStride)
            {
                Sse.Prefetch0(c);
                Sse.Prefetch0(c + columns - 1);
            }
        }
    }
}
