namespace ConvGen.Kernels;

/// <summary>
/// One operand of a product <see cref="GemmBlocked"/> computes, in one of three forms. A strided matrix,
/// <c>X(i, k) = Values[i * Stride + k * DepthStride]</c> (i a row of A or a column of B), copied into panels a block
/// at a time. Read in place through offsets (A only): <c>A(m, k) = Values[RowOffsets[m] + DepthOffsets[k]]</c>, which
/// is how a convolution reads its unfolded input, the padded input with one offset per output pixel and one per
/// kernel tap (implicit GEMM: nothing is unfolded). Or already packed: panels (of the tile width for B, of
/// <see cref="GemmMicroKernel.Rows"/> for A), each <c>k</c> steps deep, as <see cref="Gemm.PackPanels"/> and <see cref="Gemm.PackRows"/> leave them,
/// for an operand that serves many products or every part of one.
/// A value type of pointers, so parts of a product can go to other threads without allocating; the caller keeps the
/// memory pinned and the tables alive.
/// </summary>
internal readonly unsafe struct GemmOperand
{
    private GemmOperand(float* values, int* rowOffsets, int* depthOffsets, nint stride, nint depthStride, bool packed)
    {
        Values = values;
        RowOffsets = rowOffsets;
        DepthOffsets = depthOffsets;
        (Stride, DepthStride, IsPacked) = (stride, depthStride, packed);
    }

    public float* Values { get; }

    public int* RowOffsets { get; }

    public int* DepthOffsets { get; }

    /// <summary>Distance between rows of A, or columns of B, of a strided operand.</summary>
    public nint Stride { get; }

    /// <summary>Distance between steps of the inner dimension of a strided operand.</summary>
    public nint DepthStride { get; }

    /// <summary>Whether the operand is already in panels.</summary>
    public bool IsPacked { get; }

    /// <summary>Whether the operand is a strided matrix, packed a block at a time before use.</summary>
    public bool IsStrided => RowOffsets == null && !IsPacked;

    /// <summary>A matrix whose row (of A) or column (of B) i, step k, is at <c>values[i * stride + k * depthStride]</c>.</summary>
    public static GemmOperand Strided(float* values, nint stride, nint depthStride) => new(values, null, null, stride, depthStride, packed: false);

    /// <summary>A left operand read in place through tables of offsets.</summary>
    public static GemmOperand Implicit(float* values, int* rowOffsets, int* depthOffsets) => new(values, rowOffsets, depthOffsets, 0, 0, packed: false);

    /// <summary>
    /// An operand already packed into panels, each the whole inner dimension deep: of the tile width for B, of
    /// <see cref="GemmMicroKernel.Rows"/> for A.
    /// </summary>
    public static GemmOperand Packed(float* panels) => new(panels, null, null, 0, 0, packed: true);
}
