using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// The innermost GEMM step: a <see cref="Rows"/> x (2 registers) tile of C from one packed panel of A and one of B,
/// held in twelve accumulators so that both FMA units stay busy while loads are in flight.
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
    /// <c>C[0..6, 0..2w] (+)= A * B</c> where A is a packed panel of <paramref name="depth"/> steps of 6 values and B
    /// one of <paramref name="depth"/> steps of 2w values; C rows are <paramref name="cStride"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLanes, TVector>(int depth, float* a, float* b, float* c, nint cStride, bool overwrite)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int width = TLanes.Count;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < depth; p++)
        {
            TVector b0 = TLanes.Load(b);
            TVector b1 = TLanes.Load(b + width);
            TVector a0 = TLanes.Broadcast(a[0]);
            c00 = TLanes.MultiplyAdd(a0, b0, c00);
            c01 = TLanes.MultiplyAdd(a0, b1, c01);
            TVector a1 = TLanes.Broadcast(a[1]);
            c10 = TLanes.MultiplyAdd(a1, b0, c10);
            c11 = TLanes.MultiplyAdd(a1, b1, c11);
            TVector a2 = TLanes.Broadcast(a[2]);
            c20 = TLanes.MultiplyAdd(a2, b0, c20);
            c21 = TLanes.MultiplyAdd(a2, b1, c21);
            TVector a3 = TLanes.Broadcast(a[3]);
            c30 = TLanes.MultiplyAdd(a3, b0, c30);
            c31 = TLanes.MultiplyAdd(a3, b1, c31);
            TVector a4 = TLanes.Broadcast(a[4]);
            c40 = TLanes.MultiplyAdd(a4, b0, c40);
            c41 = TLanes.MultiplyAdd(a4, b1, c41);
            TVector a5 = TLanes.Broadcast(a[5]);
            c50 = TLanes.MultiplyAdd(a5, b0, c50);
            c51 = TLanes.MultiplyAdd(a5, b1, c51);
            a += Rows;
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
