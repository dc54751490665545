using System.Globalization;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// Compares what a kernel computed with what PyTorch computed: the shape first, then every value within
/// <c>|actual - expected| &lt;= tolerance * max(1, |expected|)</c>, i.e. absolute near zero and relative above one.
/// </summary>
public static class NumericAssert
{
    /// <summary>
    /// Kernels against PyTorch: both run in float32 but sum in different orders (im2col + GEMM here, oneDNN or
    /// direct loops there), so values drift apart by a few units in the last place of the largest partial sum.
    /// </summary>
    public const double KernelTolerance = 1e-4;

    /// <summary>Optimizer trajectories: ten element-wise float32 updates, whose rounding stays far below this.</summary>
    public const double OptimizerTolerance = 1e-5;

    /// <summary>Fails when PyTorch's shape for <paramref name="what"/> is not <paramref name="actualShape"/>.</summary>
    public static void ShapeIs(FixtureTensor expected, int[] actualShape, string what)
    {
        if (!expected.Shape.AsSpan().SequenceEqual(actualShape))
        {
            Assert.Fail($"{what}: the kernel's shape is {Text(actualShape)} but PyTorch's is {expected.ShapeText}.");
        }
    }

    /// <summary>
    /// Fails unless <paramref name="actual"/>, of shape <paramref name="actualShape"/>, matches <paramref name="expected"/>:
    /// same shape, then every value within <paramref name="tolerance"/>. The message names the first bad entry by its index.
    /// </summary>
    public static void Matches(FixtureTensor expected, int[] actualShape, ReadOnlySpan<float> actual, string what, double tolerance = KernelTolerance)
    {
        ShapeIs(expected, actualShape, what);
        Assert.True(
            actual.Length == expected.Values.Length,
            $"{what}: shape {expected.ShapeText} holds {expected.Values.Length} values but the kernel produced {actual.Length}.");

        int mismatches = 0, first = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            if (!IsClose(actual[i], expected.Values[i], tolerance))
            {
                mismatches++;
                first = first < 0 ? i : first;
            }
        }

        if (mismatches > 0)
        {
            float got = actual[first], want = expected.Values[first];
            Assert.Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: {mismatches} of {actual.Length} values differ from PyTorch. First at {Text(Unflatten(first, expected.Shape))}: " +
                $"kernel {got:R}, PyTorch {want:R}, |difference| {Math.Abs((double)got - want):G3} > {tolerance:G} * max(1, |expected|)."));
        }
    }

    /// <summary>The combined absolute/relative test every comparison here uses; NaN is never close.</summary>
    public static bool IsClose(double actual, double expected, double tolerance) =>
        Math.Abs(actual - expected) <= tolerance * Math.Max(1.0, Math.Abs(expected));

    private static int[] Unflatten(int flat, int[] shape)
    {
        int[] index = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }

        return index;
    }

    private static string Text(int[] values) => "(" + string.Join(", ", values) + ")";
}
