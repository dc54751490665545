namespace ConvGen.TorchSharp.Tests;

/// <summary>Element-wise comparison within a tolerance relative to the larger of 1 and the expected value.</summary>
internal static class Close
{
    public static void Equal(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {expected.Length} expected values but {actual.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - (double)actual[i]) / Math.Max(1, Math.Abs(expected[i]));
            Assert.True(error <= tolerance, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (off by {error:E2}, allowed {tolerance:E0}).");
        }
    }
}
