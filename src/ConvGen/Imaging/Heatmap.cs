using System.Numerics.Tensors;
using ConvGen.Signal;

namespace ConvGen.Imaging;

/// <summary>
/// Pictures of matrices — kernels, feature maps — as matplotlib's <c>imshow</c> shows them: viridis colours, each
/// panel scaled to its own minimum and maximum, panels side by side.
/// </summary>
public static class Heatmap
{
    // Viridis at eight evenly spaced points; colours in between are interpolated.
    private static readonly (byte R, byte G, byte B)[] Viridis =
    [
        (68, 1, 84), (70, 50, 127), (54, 92, 141), (39, 127, 142), (31, 161, 135), (74, 194, 109), (159, 218, 58), (253, 231, 37),
    ];

    /// <summary>
    /// The panels in a row, each cell <paramref name="scale"/> pixels square, <paramref name="gap"/> white pixels apart.
    /// </summary>
    public static RgbImage Strip(IReadOnlyList<Matrix> panels, int scale = 16, int gap = 4) => Grid(panels, Math.Max(1, panels.Count), scale, gap);

    /// <summary>
    /// The panels in rows of <paramref name="columns"/>, left to right and then down, each cell <paramref name="scale"/>
    /// pixels square, panels <paramref name="gap"/> white pixels apart. A panel smaller than the largest sits at the top
    /// left of its place; places after the last panel stay white.
    /// </summary>
    public static RgbImage Grid(IReadOnlyList<Matrix> panels, int columns, int scale = 16, int gap = 4)
    {
        if (panels.Count == 0 || columns < 1 || scale < 1 || gap < 0)
        {
            throw new ArgumentException(
                $"A picture of panels needs at least one panel, one column, a scale of at least 1 and a gap of at least 0; got {panels.Count} panels, {columns} columns, scale {scale}, gap {gap}.");
        }

        int panelHeight = panels.Max(panel => panel.Rows) * scale, panelWidth = panels.Max(panel => panel.Columns) * scale;
        int across = Math.Min(columns, panels.Count), down = (panels.Count + columns - 1) / columns;
        int width = across * panelWidth + (across - 1) * gap, height = down * panelHeight + (down - 1) * gap;
        (float Min, float Max)[] ranges = panels.Select(panel => (TensorPrimitives.Min(panel.Values), TensorPrimitives.Max(panel.Values))).ToArray();
        return RgbImage.Create(width, height, (x, y) =>
        {
            int index = y / (panelHeight + gap) * columns + x / (panelWidth + gap);
            int inPanelX = x % (panelWidth + gap), inPanelY = y % (panelHeight + gap);
            if (index >= panels.Count || inPanelX >= panelWidth || inPanelY >= panelHeight)
            {
                return (255, 255, 255);
            }

            Matrix panel = panels[index];
            int row = inPanelY / scale, column = inPanelX / scale;
            if (row >= panel.Rows || column >= panel.Columns)
            {
                return (255, 255, 255);
            }

            (float min, float max) = ranges[index];
            return Color(max > min ? (panel[row, column] - min) / (max - min) : 0.5f);
        });
    }

    /// <summary>The viridis colour for <paramref name="level"/> in [0, 1].</summary>
    public static (byte R, byte G, byte B) Color(float level)
    {
        float position = Math.Clamp(level, 0f, 1f) * (Viridis.Length - 1);
        int low = Math.Min((int)position, Viridis.Length - 2);
        float t = position - low;
        (byte R, byte G, byte B) a = Viridis[low], b = Viridis[low + 1];
        return (Mix(a.R, b.R, t), Mix(a.G, b.G, t), Mix(a.B, b.B, t));
    }

    private static byte Mix(byte a, byte b, float t) => (byte)MathF.Round(a + (b - a) * t);
}
