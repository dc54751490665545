using LanguageExt;
using SkiaSharp;

namespace ConvGen.Imaging.Skia.Tests;

/// <summary>Resizing to the network's input, on tiny greyscale images whose results are worked out by hand.</summary>
public sealed class ResizingTests
{
    [Fact]
    public void HalvingAveragesEachTwoByTwoBlock()
    {
        byte[,] levels =
        {
            { 0, 40, 200, 220 },
            { 80, 120, 240, 180 },
            { 10, 30, 100, 100 },
            { 50, 70, 100, 100 },
        };

        float[] input = Decode(levels, ImageInputOptions.Greyscale(2, 2));

        float[] expected = [(0 + 40 + 80 + 120) / 4f, (200 + 220 + 240 + 180) / 4f, (10 + 30 + 50 + 70) / 4f, 100f];
        AssertLevels(expected, input);
    }

    [Fact]
    public void DoublingInterpolatesBetweenPixelCentresAndHoldsTheEdges()
    {
        // Output centres at source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        byte[,] levels = { { 40, 200 } };

        float[] input = Decode(levels, ImageInputOptions.Greyscale(1, 4));

        AssertLevels([40f, 0.75f * 40 + 0.25f * 200, 0.25f * 40 + 0.75f * 200, 200f], input);
    }

    // The levels as a greyscale PNG encoded by SkiaSharp (lossless), then read back through ImageInput.
    private static float[] Decode(byte[,] levels, ImageInputOptions options)
    {
        int height = levels.GetLength(0), width = levels.GetLength(1);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor(levels[y, x], levels[y, x], levels[y, x]));
            }
        }

        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return ImageInput.Decode(png.AsSpan(), "tiny.png", options).Match(
            Right: input => input,
            Left: error => throw new Xunit.Sdk.XunitException(error.Message));
    }

    // One level of 8-bit rounding either way.
    private static void AssertLevels(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] * 255 - expected[i]) <= 1.01f, $"value {i}: {actual[i] * 255:F2} vs {expected[i]:F2}");
        }
    }
}
