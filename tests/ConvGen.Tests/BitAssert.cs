using System.Runtime.InteropServices;

namespace ConvGen.Tests;

/// <summary>Bit-for-bit comparison of float32 results: equal as IEEE bit patterns, so -0 differs from +0 and NaN from NaN's cousins.</summary>
internal static class BitAssert
{
    /// <summary>Fails naming the first index where <paramref name="actual"/>'s bits differ from <paramref name="expected"/>'s.</summary>
    public static void Identical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values where {expected.Length} were expected");
        ReadOnlySpan<int> expectedBits = MemoryMarshal.Cast<float, int>(expected), actualBits = MemoryMarshal.Cast<float, int>(actual);
        int first = expectedBits.CommonPrefixLength(actualBits);
        Assert.True(first == expected.Length, first == expected.Length ? string.Empty : $"{what}: value {first} is {actual[first]:R}, expected {expected[first]:R} (bit for bit)");
    }
}
