using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The packed GEMM against a naive double-precision product, for every transpose variant the layers use, over
/// sizes that hit every tail of the micro-kernel tile (6 rows by 2 registers) and of the cache blocks.
/// </summary>
public sealed class GemmTests
{
    public static TheoryData<bool, bool> Variants => new() { { false, false }, { false, true }, { true, false } };

    [Theory]
    [MemberData(nameof(Variants))]
    public void EverySizeUpTo40AlongEachDimensionMatchesTheReference(bool transposeA, bool transposeB)
    {
        var random = new Random(1);
        for (int dimension = 0; dimension < 3; dimension++)
        {
            for (int size = 0; size <= 40; size++)
            {
                int[] sizes = [random.Next(41), random.Next(41), random.Next(41)];
                sizes[dimension] = size;
                AssertMatchesReference(transposeA, transposeB, sizes[0], sizes[1], sizes[2], accumulate: size % 2 == 1, random);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void RandomSizesUpTo300MatchTheReference(bool transposeA, bool transposeB)
    {
        var random = new Random(2);
        for (int trial = 0; trial < 25; trial++)
        {
            AssertMatchesReference(transposeA, transposeB, random.Next(1, 301), random.Next(1, 301), random.Next(1, 301), accumulate: trial % 3 == 0, random);
        }
    }

    [Theory]
    [InlineData(false, false, 121, 33, 257)]
    [InlineData(false, true, 7, 2049, 300)]
    [InlineData(true, false, 241, 65, 513)]
    [InlineData(false, false, 64, 1024, 800)]
    [InlineData(true, false, 1024, 96, 64)]
    [InlineData(false, false, 40, 300, 2100)]
    [InlineData(true, false, 30, 70, 1030)]
    public void SizesThatCrossCacheBlocksMatchTheReference(bool transposeA, bool transposeB, int m, int n, int k)
    {
        AssertMatchesReference(transposeA, transposeB, m, n, k, accumulate: false, new Random(3));
        AssertMatchesReference(transposeA, transposeB, m, n, k, accumulate: true, new Random(4));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public unsafe void SplittingTheProductBetweenThreadsDoesNotChangeAnyBit(bool transposeA, bool transposeB)
    {
        const int m = 200, n = 300, k = 260;
        var random = new Random(5);
        float[] a = RandomValues(m * k, random), b = RandomValues(k * n, random);
        var whole = new float[m * n];
        var byPieces = new float[m * n];
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, whole, accumulate: false);
        fixed (float* aStart = a, bStart = b, cStart = byPieces)
        {
            BlockedProduct product = Gemm.Prepare(transposeA, transposeB, m, n, k, aStart, bStart, cStart, n, accumulate: false);
            // Uneven pieces, in an order no thread schedule would choose.
            product.MultiplyRange(150, m, 0, n);
            product.MultiplyRange(0, 150, 64, n);
            product.MultiplyRange(0, 150, 0, 64);
        }

        Assert.Equal(whole, byPieces);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ANarrowProductHasTheBitsOfTheSameColumnsOfAWideOne(bool transposeA, bool transposeB)
    {
        // Sixteen columns fit one 512-bit register and run in one-register tiles; forty run in two-register tiles
        // (and paired panels). The first sixteen columns must come out the same either way, to the bit.
        const int m = 50, k = 300, narrow = 16, wide = 40;
        var random = new Random(6);
        float[] a = RandomValues(m * k, random), wideB = RandomValues(k * wide, random);
        var narrowB = new float[k * narrow];
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < narrow; j++)
            {
                narrowB[transposeB ? j * k + p : p * narrow + j] = wideB[transposeB ? j * k + p : p * wide + j];
            }
        }

        var wideC = new float[m * wide];
        var narrowC = new float[m * narrow];
        Gemm.Multiply(transposeA, transposeB, m, wide, k, a, wideB, wideC, accumulate: false);
        Gemm.Multiply(transposeA, transposeB, m, narrow, k, a, narrowB, narrowC, accumulate: false);
        for (int i = 0; i < m; i++)
        {
            BitAssert.Identical(wideC.AsSpan(i * wide, narrow), narrowC.AsSpan(i * narrow, narrow), $"row {i}");
        }
    }

    [Fact]
    public void TwoTransposedOperandsAreRefused()
    {
        Assert.Throws<NotSupportedException>(() => Gemm.Multiply(true, true, 2, 2, 2, new float[4], new float[4], new float[4], accumulate: false));
    }

    [Fact]
    public void OperandsTooShortForTheSizesAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 4, 5, new float[15], new float[19], new float[12], accumulate: false));
        Assert.Contains("B >= 20", error.Message);
    }

    private static void AssertMatchesReference(bool transposeA, bool transposeB, int m, int n, int k, bool accumulate, Random random)
    {
        float[] a = RandomValues(m * k, random), b = RandomValues(k * n, random), c = RandomValues(m * n, random);
        double[] expected = Reference(transposeA, transposeB, m, n, k, a, b, c, accumulate, out double[] magnitude);
        Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate);
        for (int i = 0; i < m * n; i++)
        {
            // float32 products summed in any order: error bounded by a few ulps of the sum of magnitudes.
            double tolerance = 1e-6 + 4e-7 * (k + 2) * magnitude[i];
            if (Math.Abs(c[i] - expected[i]) > tolerance)
            {
                Assert.Fail(
                    $"op(A)=({m}x{k}{(transposeA ? ", transposed" : "")}) op(B)=({k}x{n}{(transposeB ? ", transposed" : "")}) accumulate={accumulate}: " +
                    $"C[{i / n}, {i % n}] = {c[i]}, expected {expected[i]}.");
            }
        }
    }

    private static double[] Reference(
        bool transposeA, bool transposeB, int m, int n, int k, float[] a, float[] b, float[] c, bool accumulate, out double[] magnitude)
    {
        var result = new double[m * n];
        magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0, size = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double product = (double)(transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
                    sum += product;
                    size += Math.Abs(product);
                }

                result[i * n + j] = sum;
                magnitude[i * n + j] = size;
            }
        }

        return result;
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
