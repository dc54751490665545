using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels;

/// <summary>
/// Copies of the short rows a convolution moves between its buffers (28, 14 or 7 values in a small CNN, hundreds per
/// sample), where a call to a general copy for each row costs more than the copy itself: whole registers inline, then
/// one more that overlaps the last, copying the same values again.
/// </summary>
internal static unsafe class ShortRows
{
    /// <summary><c>target[i] = source[i]</c> for <c>i</c> in <c>[0, count)</c>; the two must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* source, float* target, int count)
    {
        if (Vector512.IsHardwareAccelerated && count >= Vector512<float>.Count)
        {
            int last = count - Vector512<float>.Count;
            for (int i = 0; i < last; i += Vector512<float>.Count)
            {
                Vector512.Load(source + i).Store(target + i);
            }

            Vector512.Load(source + last).Store(target + last);
        }
        else if (Vector256.IsHardwareAccelerated && count >= Vector256<float>.Count)
        {
            int last = count - Vector256<float>.Count;
            for (int i = 0; i < last; i += Vector256<float>.Count)
            {
                Vector256.Load(source + i).Store(target + i);
            }

            Vector256.Load(source + last).Store(target + last);
        }
        else if (Vector128.IsHardwareAccelerated && count >= Vector128<float>.Count)
        {
            Vector128.Load(source).Store(target);
            Vector128.Load(source + count - Vector128<float>.Count).Store(target + count - Vector128<float>.Count);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                target[i] = source[i];
            }
        }
    }
}
