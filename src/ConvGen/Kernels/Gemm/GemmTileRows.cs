using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

/// <summary>
/// Six rows of a tile of C, two registers each: twelve accumulators in a local struct that never escapes, so the JIT
/// keeps every field in a register. The micro-kernels build their tiles from one or two of these.
/// </summary>
internal unsafe struct GemmTileRows<TLanes, TVector>
    where TLanes : struct, IVectorLanes<TVector>
    where TVector : unmanaged
{
    private TVector left0, right0, left1, right1, left2, right2, left3, right3, left4, right4, left5, right5;

    /// <summary>Row r gains <c>*a_r * (left, right)</c>: one step of the inner dimension, one fused multiply-add per register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(TVector left, TVector right, float* a0, float* a1, float* a2, float* a3, float* a4, float* a5)
    {
        TVector x = TLanes.Broadcast(*a0);
        left0 = TLanes.MultiplyAdd(x, left, left0);
        right0 = TLanes.MultiplyAdd(x, right, right0);
        x = TLanes.Broadcast(*a1);
        left1 = TLanes.MultiplyAdd(x, left, left1);
        right1 = TLanes.MultiplyAdd(x, right, right1);
        x = TLanes.Broadcast(*a2);
        left2 = TLanes.MultiplyAdd(x, left, left2);
        right2 = TLanes.MultiplyAdd(x, right, right2);
        x = TLanes.Broadcast(*a3);
        left3 = TLanes.MultiplyAdd(x, left, left3);
        right3 = TLanes.MultiplyAdd(x, right, right3);
        x = TLanes.Broadcast(*a4);
        left4 = TLanes.MultiplyAdd(x, left, left4);
        right4 = TLanes.MultiplyAdd(x, right, right4);
        x = TLanes.Broadcast(*a5);
        left5 = TLanes.MultiplyAdd(x, left, left5);
        right5 = TLanes.MultiplyAdd(x, right, right5);
    }

    /// <summary>Writes the six rows into C, <paramref name="cStride"/> apart, or adds them to what is there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(float* c, nint cStride, bool overwrite)
    {
        StoreRow(c, left0, right0, overwrite);
        StoreRow(c + cStride, left1, right1, overwrite);
        StoreRow(c + 2 * cStride, left2, right2, overwrite);
        StoreRow(c + 3 * cStride, left3, right3, overwrite);
        StoreRow(c + 4 * cStride, left4, right4, overwrite);
        StoreRow(c + 5 * cStride, left5, right5, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* row, TVector left, TVector right, bool overwrite)
    {
        GemmMicroKernel.StoreOrAdd<TLanes, TVector>(row, left, overwrite);
        GemmMicroKernel.StoreOrAdd<TLanes, TVector>(row + TLanes.Count, right, overwrite);
    }
}
