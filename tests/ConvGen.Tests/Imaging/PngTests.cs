using ConvGen.Imaging;
using ConvGen.Signal;

namespace ConvGen.Tests.Imaging;

/// <summary>The PNG writer and reader: pictures written by Pillow decode to the pixels Pillow was given, and our own round-trip.</summary>
public sealed class PngTests
{
    private const int Width = 37, Height = 23;

    // The formula tools/fixtures/make_png_fixtures.py drew with.
    private static (byte R, byte G, byte B) Expected(int x, int y, bool grey)
    {
        byte red = (byte)((7 * x + 3 * y) % 256);
        return grey ? (red, red, red) : (red, (byte)(x * y % 256), (byte)(((255 - 5 * x) % 256 + 256) % 256));
    }

    [Theory]
    [InlineData("pillow-rgb.png", false)]
    [InlineData("pillow-rgba.png", false)]
    [InlineData("pillow-l.png", true)]
    public void PicturesWrittenByPillowDecodeToTheirPixels(string file, bool grey)
    {
        RgbImage image = Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "png", file)));

        Assert.Equal((Width, Height), (image.Width, image.Height));
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                Assert.Equal(Expected(x, y, grey), image[x, y]);
            }
        }
    }

    [Fact]
    public void WhatWeWriteReadsBackPixelForPixel()
    {
        RgbImage original = RgbImage.Create(Width, Height, (x, y) => Expected(x, y, grey: false));

        RgbImage decoded = Decode(Png.Encode(original));

        Assert.Equal(original.Pixels.ToArray(), decoded.Pixels.ToArray());
    }

    [Fact]
    public void ADamagedFileIsRefusedNamingTheChunk()
    {
        byte[] file = Png.Encode(RgbImage.Create(4, 4, (_, _) => (1, 2, 3)));
        file[45] ^= 0xFF; // inside the IDAT chunk's data (8 signature + 25 IHDR + 8 length and type)

        string error = Png.Decode(file, "kernels.png").Match(Right: _ => "decoded", Left: failure => failure.Message);

        Assert.Equal("kernels.png: chunk IDAT fails its CRC check.", error);
    }

    [Fact]
    public void HeatmapStripsScaleEachPanelToItsOwnRange()
    {
        Matrix low = Matrix.FromRows([0, 1]), high = Matrix.FromRows([100, 50]);

        RgbImage strip = Heatmap.Strip([low, high], scale: 2, gap: 1);

        Assert.Equal((2 * 4 + 1, 2), (strip.Width, strip.Height));
        Assert.Equal(((byte)68, (byte)1, (byte)84), strip[0, 0]);       // each panel's minimum: viridis' dark end
        Assert.Equal(((byte)253, (byte)231, (byte)37), strip[3, 1]);    // its maximum: the yellow end
        Assert.Equal(((byte)255, (byte)255, (byte)255), strip[4, 0]);   // the gap
        Assert.Equal(((byte)253, (byte)231, (byte)37), strip[5, 0]);
        Assert.Equal(((byte)68, (byte)1, (byte)84), strip[7, 1]);
    }

    [Fact]
    public void HeatmapGridsFillRowsThenLeaveTheRestWhite()
    {
        // Three panels in rows of two, scale 1, gap 1: a 2x2 and a 1x1 above, a 1x2 below, each its own range.
        Matrix square = Matrix.FromRows([0, 1], [2, 3]), dot = Matrix.FromRows([7]), bar = Matrix.FromRows([5, -5]);
        (byte, byte, byte) dark = (68, 1, 84), yellow = (253, 231, 37), middle = Heatmap.Color(0.5f), white = (255, 255, 255);

        RgbImage grid = Heatmap.Grid([square, dot, bar], columns: 2, scale: 1, gap: 1);

        (byte, byte, byte)[,] expected =
        {
            // x: 0       1       gap    3       4
            { dark,   Heatmap.Color(1 / 3f), white, middle, white }, // y 0: square's first row, the dot (flat: the middle colour)
            { Heatmap.Color(2 / 3f), yellow, white, white,  white }, // y 1: square's second row; the dot is 1x1
            { white,  white,  white,  white,  white },               // y 2: the gap between rows
            { yellow, dark,   white,  white,  white },               // y 3: the bar; no fourth panel
            { white,  white,  white,  white,  white },               // y 4: the bar is one row of a two-row place
        };
        Assert.Equal((5, 5), (grid.Width, grid.Height));
        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                Assert.True(expected[y, x] == grid[x, y], $"pixel ({x}, {y}) is {grid[x, y]}, expected {expected[y, x]}");
            }
        }
    }

    private static RgbImage Decode(byte[] file) =>
        Png.Decode(file).Match(Right: image => image, Left: error => throw new InvalidOperationException(error.Message));
}
