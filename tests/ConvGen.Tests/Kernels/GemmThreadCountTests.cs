using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// One GEMM on one thread and on every core, against the same product computed a rectangle at a time: with A packed
/// whole or a block at a time, C cut into two column parts or many, two panels of A per micro-kernel call or one, every
/// value of C must come out with the same bits. Alone in the process, since the thread count is a process-wide setting.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class GemmThreadCountTests
{
    [Theory]
    [InlineData(false, false, 130, 1100, 1030)]
    [InlineData(false, true, 61, 700, 520)]
    [InlineData(true, false, 250, 96, 70)]
    public unsafe void OneThreadAllCoresAndRectanglesGiveTheSameBits(bool transposeA, bool transposeB, int m, int n, int k)
    {
        var random = new Random(7);
        float[] a = RandomValues(m * k, random), b = RandomValues(k * n, random);
        float[] oneThread = Multiply(threads: 1, transposeA, transposeB, m, n, k, a, b);
        float[] allCores = Multiply(KernelThreads.Maximum, transposeA, transposeB, m, n, k, a, b);
        var byRectangles = new float[m * n];
        fixed (float* aStart = a, bStart = b, cStart = byRectangles)
        {
            BlockedProduct product = Gemm.Prepare(transposeA, transposeB, m, n, k, aStart, bStart, cStart, n, accumulate: false);
            // Rows that start mid-way through a pair of panels, columns that start mid-way through a block.
            product.MultiplyRange(0, 30, 0, n);
            product.MultiplyRange(30, m, 64, n);
            product.MultiplyRange(30, m, 0, 64);
        }

        BitAssert.Identical(byRectangles, oneThread, $"{m}x{n}x{k} on one thread");
        BitAssert.Identical(byRectangles, allCores, $"{m}x{n}x{k} on {KernelThreads.Maximum} threads");
        Assert.Contains(oneThread, value => value != 0);
    }

    private static float[] Multiply(int threads, bool transposeA, bool transposeB, int m, int n, int k, float[] a, float[] b)
    {
        int original = KernelThreads.Count;
        try
        {
            KernelThreads.Count = threads;
            var c = new float[m * n];
            Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate: false);
            return c;
        }
        finally
        {
            KernelThreads.Count = original;
        }
    }

    private static float[] RandomValues(int count, Random random)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
