using ConvGen.Imaging;
using ConvGen.Plotting;
using ConvGen.Signal;

namespace ConvGen.Tests.Plotting;

/// <summary>
/// The labelled grid draws each panel's cells where the layout puts them, in viridis scaled to the panel's own range,
/// with its label above it: checked by decoding the PNG with ConvGen's own decoder and reading pixels at positions
/// worked out from the layout (112-pixel panels, 12-pixel gaps, a 20-pixel label line, a 36-pixel title band).
/// </summary>
public sealed class ImageGridTests
{
    private static readonly (int R, int G, int B) Dark = (68, 1, 84), Yellow = (253, 231, 37), White = (255, 255, 255);

    [Fact]
    public void EachPanelIsDrawnOnItsOwnScaleWithRowZeroAtTheTop()
    {
        // Panel 1 is panel 0 times 100: the same picture, since each panel is scaled to its own range.
        LabelledPanel[] panels =
        [
            new("small", Matrix.FromRows([0f, 1f], [1f, 0f])),
            new("large", Matrix.FromRows([0f, 100f], [100f, 0f])),
        ];
        RgbImage image = Draw(panels, columns: 2);

        Assert.Equal(ImageGrid.Size(2, 2), (image.Width, image.Height));
        Assert.Equal((248, 36 + 112 + 12 + 20), (image.Width, image.Height));
        foreach (int left in new[] { 6, 6 + 124 })
        {
            // Cells are 56 pixels; their centres sit 28 pixels in. The panels' top is at 36 + 20 + 6 = 62.
            AssertNear(Dark, image[left + 28, 62 + 28], "top-left cell");
            AssertNear(Yellow, image[left + 84, 62 + 28], "top-right cell");
            AssertNear(Yellow, image[left + 28, 62 + 84], "bottom-left cell");
            AssertNear(White, image[left + 56, 62 - 3], "the gap between a label and its panel");
        }
    }

    [Fact]
    public void LabelsAndTitleAreWrittenAboveThePanelsAndTheGapsStayWhite()
    {
        LabelledPanel[] panels = [.. Enumerable.Range(0, 3).Select(i => new LabelledPanel($"panel {i}", Matrix.Generate(4, 4, (r, c) => r + c)))];
        RgbImage image = Draw(panels, columns: 2);

        Assert.Equal((248, 36 + 2 * (112 + 12 + 20)), (image.Width, image.Height));
        Assert.True(DarkPixels(image, 0, image.Width, 0, 36) > 50, "no title in the top band");
        Assert.True(DarkPixels(image, 6, 118, 36 + 4, 36 + 20) > 10, "no label above panel 0");
        Assert.True(DarkPixels(image, 130, 242, 36 + 4, 36 + 20) > 10, "no label above panel 1");
        Assert.True(DarkPixels(image, 6, 118, 36 + 144 + 4, 36 + 144 + 20) > 10, "no label above panel 2 in the second row");
        // The fourth place of the grid is empty.
        Assert.Equal(0, DarkPixels(image, 130, 242, 36 + 144, image.Height));
        // The gap between the two columns.
        Assert.Equal(0, DarkPixels(image, 119, 129, 62, 62 + 112));
    }

    [Fact]
    public void NoPanelsOrNoColumnsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ImageGrid.Create("t", [], columns: 1));
        Assert.Throws<ArgumentException>(() => ImageGrid.Create("t", [new("a", Matrix.FromRows([1f]))], columns: 0));
    }

    private static RgbImage Draw(LabelledPanel[] panels, int columns)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("grid.png");
        ImageGrid.SavePng(path, "a grid", panels, columns);
        return Png.Decode(File.ReadAllBytes(path), path).Match(Right: image => image, Left: error => throw new InvalidOperationException(error.Message));
    }

    // Pixels clearly darker than the white background (text or drawing) in [x0, x1) x [y0, y1).
    private static int DarkPixels(RgbImage image, int x0, int x1, int y0, int y1)
    {
        int count = 0;
        for (int y = y0; y < Math.Min(y1, image.Height); y++)
        {
            for (int x = x0; x < Math.Min(x1, image.Width); x++)
            {
                (byte r, byte g, byte b) = image[x, y];
                count += r + g + b < 3 * 200 ? 1 : 0;
            }
        }

        return count;
    }

    private static void AssertNear((int R, int G, int B) expected, (byte R, byte G, byte B) actual, string what) =>
        Assert.True(Math.Abs(expected.R - actual.R) <= 6 && Math.Abs(expected.G - actual.G) <= 6 && Math.Abs(expected.B - actual.B) <= 6, $"{what}: expected {expected}, found {actual}");
}
