using System.Numerics.Tensors;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// Row-major single-precision matrix multiply, BLAS style: <c>C[m, n] (+)= op(A)[m, k] * op(B)[k, n]</c>,
/// where <c>op</c> optionally transposes. The seam every linear layer goes through.
/// </summary>
/// <remarks>
/// Products of any real size pack both operands (<see cref="GemmOperand"/>: B a block at a time, A whole when several
/// parts or blocks of columns need it) and run one register-blocked micro-kernel (<see cref="GemmBlocked"/>), split
/// over the cores by columns or rows of C. Each value of C is accumulated in the same order however the work is split,
/// so results depend only on the sizes and the register width, never on timing or the number of threads.
/// </remarks>
public static unsafe class Gemm
{
    // Below this many multiply-adds packing costs more than it saves.
    private const long SmallProduct = 4096;

    /// <summary>Columns of C per micro-kernel tile on this machine: two registers.</summary>
    internal static int TileColumns { get; } = 2 * WidestLanes.Count;

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
            Prepare(transposeA, transposeB, m, n, k, aStart, bStart, cStart, n, accumulate).Run();
        }
    }

    /// <summary>The product ready to run whole or in parts. C rows are <paramref name="cStride"/> apart.</summary>
    internal static BlockedProduct Prepare(
        bool transposeA, bool transposeB, int m, int n, int k, float* a, float* b, float* c, nint cStride, bool accumulate)
    {
        // Where op(X)[row, col] lives: transposition only swaps the strides.
        var left = GemmOperand.Strided(a, transposeA ? 1 : k, transposeA ? m : 1);
        var right = GemmOperand.Strided(b, transposeB ? k : 1, transposeB ? 1 : n);
        return new BlockedProduct(left, right, m, n, k, c, cStride, accumulate);
    }

    /// <summary>
    /// The <c>width x depth</c> operand whose value <c>(column, step)</c> sits at <c>source[column * widthStride + step * depthStride]</c>
    /// packed as <see cref="GemmBlocked"/> reads B, in this thread's scratch: panels of <see cref="TileColumns"/> split between the cores.
    /// </summary>
    internal static float* PackPanels(ScratchPurpose purpose, float* source, nint widthStride, nint depthStride, int width, int depth) =>
        PackSplit(purpose, source, widthStride, depthStride, width, depth, TileColumns);

    /// <summary>All <paramref name="m"/> rows of a strided A, <paramref name="k"/> steps deep, packed as <see cref="GemmBlocked"/> reads A.</summary>
    internal static float* PackRows(ScratchPurpose purpose, in GemmOperand a, int m, int k) =>
        PackSplit(purpose, a.Values, a.Stride, a.DepthStride, m, k, GemmMicroKernel.Rows);

    // Panels of the given width in this thread's scratch, runs of them packed on every core.
    private static float* PackSplit(ScratchPurpose purpose, float* source, nint widthStride, nint depthStride, int width, int depth, int panelWidth)
    {
        int panels = (width + panelWidth - 1) / panelWidth;
        float* packed = ScratchBuffers.Get(purpose, panels * panelWidth * depth);
        var work = new PackingWork(source, widthStride, depthStride, width, depth, panelWidth, packed);
        WorkerPool.Run(ref work, work.Parts);
        return packed;
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

    /// <summary>Packing cut into runs of whole panels; panels never share a value, so any split gives the same result.</summary>
    private readonly struct PackingWork(float* source, nint widthStride, nint depthStride, int width, int depth, int panelWidth, float* packed) : IPartitionedWork
    {
        // Below this many values one core packs them before a second would wake.
        private const int ValuesPerPart = 1 << 16;

        public int Parts { get; } = (int)Math.Clamp((long)width * depth / ValuesPerPart, 1, WorkerPool.Concurrency);

        public void Execute(int part)
        {
            int panels = (width + panelWidth - 1) / panelWidth;
            int first = part * panels / Parts * panelWidth, end = Math.Min(width, (part + 1) * panels / Parts * panelWidth);
            if (first < end)
            {
                GemmPacking.PackPanels(source + first * widthStride, widthStride, depthStride, end - first, depth, panelWidth, packed + (nint)first * depth);
            }
        }
    }
}

/// <summary>
/// One product <c>C[m, n] (+)= A * B</c> ready to run over two <see cref="GemmOperand"/>s. Runs whole, split between
/// the cores by whole tiles of rows or columns, or one rectangle at a time on the calling thread.
/// </summary>
internal readonly unsafe struct BlockedProduct : IPartitionedWork, ILanesAction
{
    // Below this many multiply-adds waking a second core costs more than it saves.
    private const long ParallelProduct = 1L << 20;

    // When the columns are shared out: parts per thread, so that a core slowed by other work leaves its last parts
    // to the others, and the fewest tiles a part is worth.
    private const int PartsPerThread = 4;
    private const int TilesPerPart = 4;

    private readonly GemmOperand a, b;
    private readonly float* c;
    private readonly nint cStride;
    private readonly int m, n, k;
    private readonly bool accumulate;

    // The rectangle of C that ILanesAction.Run computes, and the parts that Run splits C into (by columns or by rows).
    private readonly int rowStart, rowEnd, columnStart, columnEnd, parts;
    private readonly bool byColumns;

    public BlockedProduct(GemmOperand a, GemmOperand b, int m, int n, int k, float* c, nint cStride, bool accumulate)
    {
        this.a = a;
        this.b = b;
        this.c = c;
        this.cStride = cStride;
        this.accumulate = accumulate;
        (this.m, this.n, this.k) = (m, n, k);
        (rowEnd, columnEnd) = (m, n);
    }

    private BlockedProduct(in BlockedProduct whole, GemmOperand a, int rowStart, int rowEnd, int columnStart, int columnEnd, int parts, bool byColumns)
        : this(a, whole.b, whole.m, whole.n, whole.k, whole.c, whole.cStride, whole.accumulate)
    {
        (this.rowStart, this.rowEnd, this.columnStart, this.columnEnd) = (rowStart, rowEnd, columnStart, columnEnd);
        (this.parts, this.byColumns) = (parts, byColumns);
    }

    /// <summary>Computes all of C, on every core when the product is worth it.</summary>
    public void Run()
    {
        int threads = (long)m * n * k >= ParallelProduct ? WorkerPool.Concurrency : 1;
        int columnTiles = (n + Gemm.TileColumns - 1) / Gemm.TileColumns;
        // By columns whenever each thread gets a few tiles' worth: every part then packs only its own share of B. By
        // rows only for narrow products, where each part packs its own rows of A and B is small.
        if (threads > 1 && columnTiles < 4 * threads && columnTiles < (m + GemmMicroKernel.Rows - 1) / GemmMicroKernel.Rows)
        {
            var byRows = new BlockedProduct(this, a, 0, m, 0, n, threads, byColumns: false);
            WorkerPool.Run(ref byRows, threads);
            return;
        }

        int parts = threads == 1 ? 1 : Math.Clamp(columnTiles / TilesPerPart, threads, PartsPerThread * threads);
        // Every part, and every block of columns, needs all of A: packed once, on every core, rather than once for each.
        GemmOperand left = a.IsStrided && (parts > 1 || n > GemmBlocked.ColumnBlock)
            ? GemmOperand.Packed(Gemm.PackRows(ScratchPurpose.SharedA, a, m, k))
            : a;
        var byColumns = new BlockedProduct(this, left, 0, m, 0, n, parts, byColumns: true);
        WorkerPool.Run(ref byColumns, parts);
    }

    /// <summary>Computes one rectangle of C on the calling thread; <paramref name="columnStart"/> is a multiple of the tile width.</summary>
    public void MultiplyRange(int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        var rectangle = new BlockedProduct(this, a, rowStart, rowEnd, columnStart, columnEnd, parts: 1, byColumns);
        WidestLanes.Run(ref rectangle);
    }

    /// <summary>One of <c>parts</c> equal runs of whole tiles of C's columns or rows.</summary>
    public void Execute(int part)
    {
        int extent = byColumns ? n : m;
        int unit = byColumns ? Gemm.TileColumns : GemmMicroKernel.Rows;
        int units = (extent + unit - 1) / unit;
        int start = Math.Min(extent, part * units / parts * unit);
        int end = Math.Min(extent, (part + 1) * units / parts * unit);
        if (start < end)
        {
            if (byColumns)
            {
                MultiplyRange(0, m, start, end);
            }
            else
            {
                MultiplyRange(start, end, 0, n);
            }
        }
    }

    void ILanesAction.Run<TLanes, TVector>() =>
        GemmBlocked.Multiply<TLanes, TVector>(a, b, k, c, cStride, rowStart, rowEnd, columnStart, columnEnd, accumulate);
}
