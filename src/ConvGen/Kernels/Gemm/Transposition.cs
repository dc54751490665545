using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>
/// Turns a product computed one way round into the layout a layer hands on: <c>destination[j, i] = source[i, j] (+ bias[j])</c>,
/// optionally through a ReLU (the epilogue a convolution followed by one ends with).
/// Products come out pixel- or sample-major because that orientation reads the big operand where it lies; the copy
/// costs one pass over the (small) result, 8 x 8 blocks at a time in registers.
/// </summary>
internal static unsafe class Transposition
{
    private const int Block = 8;

    /// <summary>What to add to leave every value as it is, negative zero included: negative zero.</summary>
    public static Vector256<float> NothingAdded => Vector256.Create(-0f);

    /// <summary>Whether the 8 x 8 transposes run here (256-bit shuffles).</summary>
    public static bool InRegisters => Avx.IsSupported;

    /// <summary>
    /// Writes the transpose of the <paramref name="rows"/> x <paramref name="columns"/> matrix at <paramref name="source"/>
    /// (rows <paramref name="sourceStride"/> apart) to <paramref name="destination"/> (rows <paramref name="destinationStride"/>
    /// apart), adding <c>bias[j]</c> to destination row j when <paramref name="bias"/> is not null, and then taking
    /// <c>max(x, 0)</c> when <paramref name="relu"/> is set (IEEE maximum: NaN stays NaN, as in <see cref="Activations.ReluForward"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, int rows, int columns, nint sourceStride, float* destination, nint destinationStride, float* bias, bool relu = false)
    {
        int wholeRows = InRegisters ? rows & ~(Block - 1) : 0, wholeColumns = InRegisters ? columns & ~(Block - 1) : 0;
        for (int j = 0; j < wholeColumns; j += Block)
        {
            Vector256<float> add = bias == null ? NothingAdded : Vector256.Load(bias + j);
            for (int i = 0; i < wholeRows; i += Block)
            {
                Transpose8x8(source + i * sourceStride + j, sourceStride, destination + j * destinationStride + i, destinationStride, add, relu);
            }
        }

        // The strips along the right and bottom edges that whole blocks do not cover.
        Scalar(source, 0, wholeRows, wholeColumns, columns, sourceStride, destination, destinationStride, bias, relu);
        Scalar(source, wholeRows, rows, 0, columns, sourceStride, destination, destinationStride, bias, relu);
    }

    /// <summary>
    /// <c>destination[i * destinationStride + j] = source[j * sourceStride + i] + add[i]</c> for i, j &lt; 8
    /// (<see cref="NothingAdded"/> for a plain transpose), through a ReLU when <paramref name="relu"/> is set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(float* source, nint sourceStride, float* destination, nint destinationStride, Vector256<float> add, bool relu = false) =>
        Transpose8x8(
            Avx.LoadVector256(source), Avx.LoadVector256(source + sourceStride), Avx.LoadVector256(source + 2 * sourceStride),
            Avx.LoadVector256(source + 3 * sourceStride), Avx.LoadVector256(source + 4 * sourceStride), Avx.LoadVector256(source + 5 * sourceStride),
            Avx.LoadVector256(source + 6 * sourceStride), Avx.LoadVector256(source + 7 * sourceStride), destination, destinationStride, add, relu);

    /// <summary>Rows r0 to r7, transposed, stored one after another at <paramref name="destinationStride"/> (plus <paramref name="add"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3, Vector256<float> r4, Vector256<float> r5,
        Vector256<float> r6, Vector256<float> r7, float* destination, nint destinationStride, Vector256<float> add, bool relu = false)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Store(destination, Avx.Permute2x128(u0, u4, 0x20) + Vector256.Create(add[0]), relu);
        Store(destination + destinationStride, Avx.Permute2x128(u1, u5, 0x20) + Vector256.Create(add[1]), relu);
        Store(destination + 2 * destinationStride, Avx.Permute2x128(u2, u6, 0x20) + Vector256.Create(add[2]), relu);
        Store(destination + 3 * destinationStride, Avx.Permute2x128(u3, u7, 0x20) + Vector256.Create(add[3]), relu);
        Store(destination + 4 * destinationStride, Avx.Permute2x128(u0, u4, 0x31) + Vector256.Create(add[4]), relu);
        Store(destination + 5 * destinationStride, Avx.Permute2x128(u1, u5, 0x31) + Vector256.Create(add[5]), relu);
        Store(destination + 6 * destinationStride, Avx.Permute2x128(u2, u6, 0x31) + Vector256.Create(add[6]), relu);
        Store(destination + 7 * destinationStride, Avx.Permute2x128(u3, u7, 0x31) + Vector256.Create(add[7]), relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* destination, Vector256<float> values, bool relu) =>
        (relu ? Vector256.Max(values, Vector256<float>.Zero) : values).Store(destination);

    // Rows [rowStart, rowEnd) x columns [columnStart, columnEnd) one value at a time.
    private static void Scalar(
        float* source, int rowStart, int rowEnd, int columnStart, int columnEnd, nint sourceStride, float* destination, nint destinationStride, float* bias, bool relu)
    {
        for (int j = columnStart; j < columnEnd; j++)
        {
            float* target = destination + j * destinationStride;
            float* from = source + j;
            if (bias == null && !relu)
            {
                for (int i = rowStart; i < rowEnd; i++)
                {
                    target[i] = from[i * sourceStride];
                }

                continue;
            }

            float add = bias == null ? -0f : bias[j], floor = relu ? 0f : float.NegativeInfinity;
            for (int i = rowStart; i < rowEnd; i++)
            {
                target[i] = MathF.Max(from[i * sourceStride] + add, floor);
            }
        }
    }
}
