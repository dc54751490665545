using ConvGen.Signal;
using ScottPlot;

namespace ConvGen.Plotting;

/// <summary>One picture of a grid: a label to print above it and the values to draw, row 0 at the top.</summary>
/// <param name="Label">What the panel shows, e.g. "epoch 3" or "map 7".</param>
/// <param name="Values">The values, drawn in viridis, scaled to this panel's own range.</param>
public sealed record LabelledPanel(string Label, Matrix Values);

/// <summary>
/// Kernels and feature maps as a labelled grid: a title, then the panels left to right and top to bottom, each with its
/// label above it and its own colour scale (viridis, as matplotlib draws <c>imshow</c>), as a PNG.
/// </summary>
public static class ImageGrid
{
    // Pixels per panel side and per label line, and the gap between panels.
    private const int PanelPixels = 112, LabelPixels = 20, GapPixels = 12, TitlePixels = 36;

    /// <summary>
    /// The grid as a ScottPlot plot whose coordinates are panel units (one panel is 1 wide); save it at
    /// <see cref="Size"/> so every panel is square.
    /// </summary>
    /// <exception cref="ArgumentException">No panels, or fewer than one column.</exception>
    public static Plot Create(string title, IReadOnlyList<LabelledPanel> panels, int columns)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0 || columns < 1)
        {
            throw new ArgumentException("A grid needs at least one panel and one column.", nameof(panels));
        }

        var plot = new Plot();
        plot.Font.Set(TrainingChart.FontName);
        plot.HideAxesAndGrid();
        int rows = (panels.Count + columns - 1) / columns;
        const double gap = (double)GapPixels / PanelPixels, label = (double)LabelPixels / PanelPixels, titleHeight = (double)TitlePixels / PanelPixels;
        for (int index = 0; index < panels.Count; index++)
        {
            (int row, int column) = (index / columns, index % columns);
            double left = column * (1 + gap), top = -row * (1 + gap + label);
            Matrix values = panels[index].Values;
            var heatmap = plot.Add.Heatmap(ToRows(values));
            heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
            heatmap.Rectangle = new CoordinateRect(left, left + 1, top - 1, top);
            var text = plot.Add.Text(panels[index].Label, left + 0.5, top);
            text.LabelAlignment = Alignment.LowerCenter;
            text.LabelFontSize = 12;
        }

        // The title inside the drawing area, above the first row: with no axes to lay out, the plot fills the image
        // exactly, so one panel unit is PanelPixels on both axes.
        double right = columns * (1 + gap) - gap / 2, upper = label + gap / 2 + titleHeight;
        var heading = plot.Add.Text(title, (right - gap / 2) / 2, upper - titleHeight / 2);
        heading.LabelAlignment = Alignment.MiddleCenter;
        heading.LabelFontSize = 15;
        plot.Axes.SetLimits(-gap / 2, right, -rows * (1 + gap + label) + label + gap / 2, upper);
        plot.Layout.Fixed(new PixelPadding(0, 0, 0, 0));
        return plot;
    }

    /// <summary>The size in pixels at which <see cref="Create"/>'s plot has square panels.</summary>
    public static (int Width, int Height) Size(int panelCount, int columns)
    {
        int rows = (panelCount + columns - 1) / columns;
        return (columns * (PanelPixels + GapPixels), rows * (PanelPixels + GapPixels + LabelPixels) + TitlePixels);
    }

    /// <summary>Draws the grid as a PNG file at <paramref name="path"/>.</summary>
    public static void SavePng(string path, string title, IReadOnlyList<LabelledPanel> panels, int columns)
    {
        (int width, int height) = Size(panels.Count, columns);
        Create(title, panels, columns).SavePng(path, width, height);
    }

    // ScottPlot draws row 0 of the array at the top of the rectangle, as an image.
    private static double[,] ToRows(Matrix values)
    {
        var rows = new double[values.Rows, values.Columns];
        for (int row = 0; row < values.Rows; row++)
        {
            for (int column = 0; column < values.Columns; column++)
            {
                rows[row, column] = values[row, column];
            }
        }

        return rows;
    }
}
