using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// The innermost GEMM step: a <see cref="Rows"/> x (2 registers) tile of C, held in twelve accumulators so that both
/// FMA units stay busy while loads are in flight. B comes packed (one panel of 2 registers per step); A is read where
/// it lies, through offsets (see <see cref="GemmOperand"/>), so an unfolded convolution input or a transposed weight
/// never has to be copied out first.
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLanes, TVector>(int depth, float* a, int* rowOffsets, int* depthOffsets, float* b, float* c, nint cStride, bool overwrite)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int width = TLanes.Count;
        float* a0 = a + rowOffsets[0], a1 = a + rowOffsets[1], a2 = a + rowOffsets[2];
        float* a3 = a + rowOffsets[3], a4 = a + rowOffsets[4], a5 = a + rowOffsets[5];
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < depth; p++)
        {
            nint offset = depthOffsets[p];
            TVector b0 = TLanes.Load(b);
            TVector b1 = TLanes.Load(b + width);
            TVector x = TLanes.Broadcast(a0[offset]);
            c00 = TLanes.MultiplyAdd(x, b0, c00);
            c01 = TLanes.MultiplyAdd(x, b1, c01);
            x = TLanes.Broadcast(a1[offset]);
            c10 = TLanes.MultiplyAdd(x, b0, c10);
            c11 = TLanes.MultiplyAdd(x, b1, c11);
            x = TLanes.Broadcast(a2[offset]);
            c20 = TLanes.MultiplyAdd(x, b0, c20);
            c21 = TLanes.MultiplyAdd(x, b1, c21);
            x = TLanes.Broadcast(a3[offset]);
            c30 = TLanes.MultiplyAdd(x, b0, c30);
            c31 = TLanes.MultiplyAdd(x, b1, c31);
            x = TLanes.Broadcast(a4[offset]);
            c40 = TLanes.MultiplyAdd(x, b0, c40);
            c41 = TLanes.MultiplyAdd(x, b1, c41);
            x = TLanes.Broadcast(a5[offset]);
            c50 = TLanes.MultiplyAdd(x, b0, c50);
            c51 = TLanes.MultiplyAdd(x, b1, c51);
            b += 2 * width;
        }

        StoreRow<TLanes, TVector>(c, width, c00, c01, overwrite);
        StoreRow<TLanes, TVector>(c + cStride, width, c10, c11, overwrite);
        StoreRow<TLanes, TVector>(c + 2 * cStride, width, c20, c21, overwrite);
        StoreRow<TLanes, TVector>(c + 3 * cStride, width, c30, c31, overwrite);
        StoreRow<TLanes, TVector>(c + 4 * cStride, width, c40, c41, overwrite);
        StoreRow<TLanes, TVector>(c + 5 * cStride, width, c50, c51, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TLanes, TVector>(float* row, int width, TVector left, TVector right, bool overwrite)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        if (!overwrite)
        {
            left = TLanes.Add(TLanes.Load(row), left);
            right = TLanes.Add(TLanes.Load(row + width), right);
        }

        TLanes.Store(row, left);
        TLanes.Store(row + width, right);
    }
}
