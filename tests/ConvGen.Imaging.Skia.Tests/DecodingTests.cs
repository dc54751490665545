using LanguageExt;

namespace ConvGen.Imaging.Skia.Tests;

/// <summary>
/// Each kind of file the hand-written PNG reader refuses, decoded at its own size, against the formulas
/// tools/fixtures/make_image_fixtures.py encoded.
/// </summary>
public sealed class DecodingTests
{
    private static readonly (byte R, byte G, byte B)[] Quadrants = [(200, 30, 60), (20, 180, 90), (40, 60, 220), (250, 250, 250)];
    private static readonly (byte R, byte G, byte B)[] Palette = [(255, 0, 0), (0, 128, 255), (17, 34, 51), (240, 230, 140)];

    [Fact]
    public void AJpegDecodesToTheColoursItWasEncodedWithWithinJpegTolerance()
    {
        float[] input = Right(ImageInput.Load(Fixture.Image("quadrants.jpg"), ImageInputOptions.Rgb(16, 16)));

        // Quality 95 without chroma subsampling on flat 8x8 blocks: a few levels of error at most.
        AssertPlanes(input, 16, 16, (x, y) => Quadrants[(y / 8) * 2 + x / 8], tolerance: 4f / 255);
    }

    [Fact]
    public void APalettePngDecodesToItsPaletteColours()
    {
        float[] input = Right(ImageInput.Load(Fixture.Image("palette.png"), ImageInputOptions.Rgb(3, 5)));

        AssertPlanes(input, 3, 5, (x, y) => Palette[(x + 2 * y) % 4], tolerance: 1e-6f);
    }

    [Fact]
    public void ASixteenBitGreyscalePngDecodesToItsHighBytes()
    {
        float[] input = Right(ImageInput.Load(Fixture.Image("grey16.png"), ImageInputOptions.Greyscale(3, 7)));

        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                float expected = (9000 * x + 1000 * y + 123) / 65535f;
                // SkiaSharp keeps the high byte of each 16-bit level (v >> 8, read as a level of 255): within 1/255.
                Assert.True(Math.Abs(expected - input[y * 7 + x]) < 1f / 255, $"({x}, {y}): {input[y * 7 + x]} vs {expected}");
            }
        }
    }

    [Fact]
    public void AnInterlacedPngDecodesEveryPassToItsPlace()
    {
        float[] input = Right(ImageInput.Load(Fixture.Image("interlaced.png"), ImageInputOptions.Rgb(7, 9)));

        AssertPlanes(input, 7, 9, (x, y) => ((byte)((29 * x + 7 * y) % 256), (byte)((13 * y + 5 * x) % 256), (byte)(((255 - 17 * x - 3 * y) % 256 + 256) % 256)), tolerance: 1e-6f);
    }

    [Fact]
    public void GreyscaleIsTheBt601LumaOfTheColours()
    {
        float[] input = Right(ImageInput.Load(Fixture.Image("palette.png"), ImageInputOptions.Greyscale(3, 5)));

        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                (byte r, byte g, byte b) = Palette[(x + 2 * y) % 4];
                Assert.Equal((0.299f * r + 0.587f * g + 0.114f * b) / 255f, input[y * 5 + x], 1e-5f);
            }
        }
    }

    [Fact]
    public void InversionComesBeforeTheMeanAndStandardDeviationOfEachChannel()
    {
        var options = ImageInputOptions.Rgb(3, 5) with { Invert = true, Mean = [0.485f, 0.456f, 0.406f], StandardDeviation = [0.229f, 0.224f, 0.225f] };

        float[] input = Right(ImageInput.Load(Fixture.Image("palette.png"), options));

        (byte r, byte g, byte b) = Palette[(4 + 2 * 2) % 4]; // pixel (4, 2)
        int at = 2 * 5 + 4, plane = 15;
        Assert.Equal((1 - r / 255f - 0.485f) / 0.229f, input[at], 1e-5f);
        Assert.Equal((1 - g / 255f - 0.456f) / 0.224f, input[plane + at], 1e-5f);
        Assert.Equal((1 - b / 255f - 0.406f) / 0.225f, input[2 * plane + at], 1e-5f);
    }

    private static void AssertPlanes(float[] input, int height, int width, Func<int, int, (byte R, byte G, byte B)> colour, float tolerance)
    {
        Assert.Equal(3 * height * width, input.Length);
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = colour(x, y);
                int at = y * width + x;
                foreach ((float actual, byte level, string name) in new[] { (input[at], r, "red"), (input[plane + at], g, "green"), (input[2 * plane + at], b, "blue") })
                {
                    Assert.True(Math.Abs(actual - level / 255f) <= tolerance, $"{name} at ({x}, {y}): {actual * 255:F1} vs {level}");
                }
            }
        }
    }

    private static float[] Right(Either<ConvGenError, float[]> result) =>
        result.Match(Right: input => input, Left: error => throw new Xunit.Sdk.XunitException(error.Message));
}
