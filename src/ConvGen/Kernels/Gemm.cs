using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// Row-major single-precision matrix multiply, BLAS style: <c>C[m, n] (+)= op(A)[m, k] * op(B)[k, n]</c>,
/// where <c>op</c> optionally transposes. The seam every convolution and linear layer goes through.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// Computes <c>C = op(A) * op(B)</c>, or adds it to C when <paramref name="accumulate"/> is set.
    /// A is <c>m x k</c> (<c>k x m</c> when transposed), B is <c>k x n</c> (<c>n x k</c> when transposed), C is <c>m x n</c>.
    /// </summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate)
    {
        CheckSizes(m, n, k, a, b, c);
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        if (transposeA && transposeB)
        {
            throw new NotSupportedException("No layer multiplies two transposed operands; transpose one of them ahead of time.");
        }

        if (transposeB)
        {
            MultiplyTransposedB(m, n, k, a, b, c);
        }
        else
        {
            MultiplyRowsOfB(transposeA, m, n, k, a, b, c);
        }
    }

    // C[i, :] += A(i, p) * B[p, :]: every inner step is a contiguous, vectorised axpy over a row of B.
    private static void MultiplyRowsOfB(bool transposeA, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                float scale = transposeA ? a[p * m + i] : a[i * k + p];
                if (scale != 0f)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), scale, row, row);
                }
            }
        }
    }

    // C[i, j] += dot(A[i, :], B[j, :]): rows of B are the columns of op(B), so each entry is one dot product.
    private static void MultiplyTransposedB(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> rowOfA = a.Slice(i * k, k);
            Span<float> row = c.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                row[j] += TensorPrimitives.Dot(rowOfA, b.Slice(j * k, k));
            }
        }
    }

    private static void CheckSizes(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must be non-negative, got m={m}, n={n}, k={k}.");
        }

        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
        {
            throw new ArgumentException(
                $"GEMM {m}x{k} by {k}x{n} needs A >= {m * k}, B >= {k * n}, C >= {m * n} values; got {a.Length}, {b.Length}, {c.Length}.");
        }
    }
}
