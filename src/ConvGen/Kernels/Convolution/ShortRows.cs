using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels;

/// <summary>
/// Copies of the short rows a convolution moves between its buffers (28, 14 or 7 values in a small CNN, hundreds per
/// sample), where a call to a general copy for each row costs more than the copy itself: whole registers inline, the
/// widest the row fills, then one more that overlaps the last, copying the same values again.
/// </summary>
internal static unsafe class ShortRows
{
    /// <summary><c>target[i] = source[i]</c> for <c>i</c> in <c>[0, count)</c>; the two must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* source, float* target, int count)
    {
        if (Vector512.IsHardwareAccelerated && count >= Lanes512.Count)
        {
            Copy<Lanes512, Vector512<float>>(source, target, count);
        }
        else if (Vector256.IsHardwareAccelerated && count >= Lanes256.Count)
        {
            Copy<Lanes256, Vector256<float>>(source, target, count);
        }
        else if (Vector128.IsHardwareAccelerated && count >= Lanes128.Count)
        {
            Copy<Lanes128, Vector128<float>>(source, target, count);
        }
        else
        {
            Copy<ScalarLanes, float>(source, target, count);
        }
    }

    // At least one register's worth: whole registers from the start, the last one ending exactly at count.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy<TLanes, TVector>(float* source, float* target, int count)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int last = count - TLanes.Count;
        for (int i = 0; i < last; i += TLanes.Count)
        {
            TLanes.Store(target + i, TLanes.Load(source + i));
        }

        if (last >= 0)
        {
            TLanes.Store(target + last, TLanes.Load(source + last));
        }
    }
}
