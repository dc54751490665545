using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// Row-major single-precision matrix multiply, BLAS style: <c>C[m, n] (+)= op(A)[m, k] * op(B)[k, n]</c>,
/// where <c>op</c> optionally transposes. The seam every convolution and linear layer goes through.
/// </summary>
/// <remarks>
/// Products of any real size are packed, cache-blocked and run through one register-blocked micro-kernel
/// (<see cref="GemmBlocked"/>), split over the cores by columns or rows of C. Each value of C is accumulated in the
/// same order however the work is split, so results depend only on the sizes and the register width, never on
/// timing or the number of threads.
/// </remarks>
public static unsafe class Gemm
{
    // Below this many multiply-adds packing costs more than it saves.
    private const long SmallProduct = 4096;

    // Below this many multiply-adds waking a second core costs more than it saves.
    private const long ParallelProduct = 1L << 20;

    /// <summary>Columns of C per micro-kernel tile on this machine: two registers.</summary>
    internal static int TileColumns { get; } =
        Vector512.IsHardwareAccelerated ? GemmMicroKernel.Columns<Lanes512, Vector512<float>>()
        : Vector256.IsHardwareAccelerated ? GemmMicroKernel.Columns<Lanes256, Vector256<float>>()
        : GemmMicroKernel.Columns<ScalarLanes, float>();

    /// <summary>
    /// Computes <c>C = op(A) * op(B)</c>, or adds it to C when <paramref name="accumulate"/> is set.
    /// A is <c>m x k</c> (<c>k x m</c> when transposed), B is <c>k x n</c> (<c>n x k</c> when transposed), C is <c>m x n</c>.
    /// </summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate)
    {
        CheckSizes(m, n, k, a, b, c);
        if (transposeA && transposeB)
        {
            throw new NotSupportedException("No layer multiplies two transposed operands; transpose one of them ahead of time.");
        }

        if (k == 0 || (long)m * n * k <= SmallProduct)
        {
            MultiplySmall(transposeA, transposeB, m, n, k, a, b, c, accumulate);
            return;
        }

        fixed (float* aStart = a, bStart = b, cStart = c)
        {
            var operands = new GemmOperands(transposeA, transposeB, m, n, k, aStart, bStart, cStart);
            int parts = (long)m * n * k >= ParallelProduct ? WorkerPool.Concurrency : 1;
            if (parts == 1)
            {
                MultiplyRange(operands, 0, m, 0, n, accumulate);
                return;
            }

            // Split the dimension with more tiles, in whole tiles, so no tile straddles two threads.
            bool splitColumns = (n + TileColumns - 1) / TileColumns >= (m + GemmMicroKernel.Rows - 1) / GemmMicroKernel.Rows;
            var work = new PartitionedProduct(operands, accumulate, splitColumns, parts);
            WorkerPool.Run(ref work, parts);
        }
    }

    /// <summary>Computes one rectangle of C on the calling thread, with the widest registers the hardware accelerates.</summary>
    internal static void MultiplyRange(in GemmOperands operands, int rowStart, int rowEnd, int columnStart, int columnEnd, bool accumulate)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            GemmBlocked.Multiply<Lanes512, Vector512<float>>(operands, rowStart, rowEnd, columnStart, columnEnd, accumulate);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            GemmBlocked.Multiply<Lanes256, Vector256<float>>(operands, rowStart, rowEnd, columnStart, columnEnd, accumulate);
        }
        else
        {
            GemmBlocked.Multiply<ScalarLanes, float>(operands, rowStart, rowEnd, columnStart, columnEnd, accumulate);
        }
    }

    // Tiny products: straight loops over contiguous rows, no packing.
    private static void MultiplySmall(
        bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate)
    {
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * n, n);
            if (transposeB)
            {
                // Rows of B are the columns of op(B): each entry is one dot product.
                ReadOnlySpan<float> rowOfA = a.Slice(i * k, k);
                for (int j = 0; j < n; j++)
                {
                    row[j] += TensorPrimitives.Dot(rowOfA, b.Slice(j * k, k));
                }

                continue;
            }

            // C[i, :] += A(i, p) * B[p, :]: a vectorised axpy over each row of B.
            for (int p = 0; p < k; p++)
            {
                float scale = transposeA ? a[p * m + i] : a[i * k + p];
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), scale, row, row);
            }
        }
    }

    private static void CheckSizes(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must be non-negative, got m={m}, n={n}, k={k}.");
        }

        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException(
                $"GEMM {m}x{k} by {k}x{n} needs A >= {(long)m * k}, B >= {(long)k * n}, C >= {(long)m * n} values; got {a.Length}, {b.Length}, {c.Length}.");
        }
    }

    /// <summary>One product cut into equal runs of whole tiles along its rows or its columns.</summary>
    private readonly struct PartitionedProduct(GemmOperands operands, bool accumulate, bool splitColumns, int parts) : IPartitionedWork
    {
        public void Execute(int part)
        {
            int extent = splitColumns ? operands.N : operands.M;
            int unit = splitColumns ? TileColumns : GemmMicroKernel.Rows;
            int units = (extent + unit - 1) / unit;
            int start = Math.Min(extent, part * units / parts * unit);
            int end = Math.Min(extent, (part + 1) * units / parts * unit);
            if (start >= end)
            {
                return;
            }

            if (splitColumns)
            {
                MultiplyRange(operands, 0, operands.M, start, end, accumulate);
            }
            else
            {
                MultiplyRange(operands, start, end, 0, operands.N, accumulate);
            }
        }
    }
}
