using System.Globalization;
using System.Net;
using System.Text;

namespace ConvGen.Imaging;

/// <summary>One line of a chart: a name for the legend, a colour, and y values at x = 1, 2, 3, ...</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<double> Values);

/// <summary>
/// A small SVG line chart, for training curves: per-epoch loss and accuracy read better as a picture than a table.
/// Each series gets its own y range (drawn as a faint axis label), since losses and accuracies differ in scale.
/// </summary>
public static class LineChart
{
    private const int Width = 640, Height = 360, Left = 60, Right = 20, Top = 40, Bottom = 50;

    /// <summary>The chart as SVG text, invariant-culture numbers, deterministic for the same input.</summary>
    public static string Svg(string title, string xLabel, IReadOnlyList<ChartSeries> series)
    {
        if (series.Count == 0 || series.Any(line => line.Values.Count == 0))
        {
            throw new ArgumentException("A chart needs at least one series, each with at least one value.", nameof(series));
        }

        int points = series.Max(line => line.Values.Count);
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double X(int index) => Left + (points == 1 ? plotWidth / 2 : plotWidth * index / (points - 1));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <rect x=\"{Left}\" y=\"{Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#999\"/>\n");
        for (int i = 0; i < points; i += Math.Max(1, points / 10))
        {
            svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{Format(X(i))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{i + 1}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{Left + plotWidth / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        for (int s = 0; s < series.Count; s++)
        {
            ChartSeries line = series[s];
            double min = line.Values.Min(), max = line.Values.Max();
            double span = max > min ? max - min : 1;
            double Y(double value) => Top + plotHeight * (1 - (value - min) / span);
            string path = string.Join(" ", line.Values.Select((value, index) => (index == 0 ? "M" : "L") + Format(X(index)) + "," + Format(Y(value))));
            svg.Append(CultureInfo.InvariantCulture, $"  <path d=\"{path}\" fill=\"none\" stroke=\"{Escape(line.Color)}\" stroke-width=\"2\"/>\n");
            string range = $"{Escape(line.Name)}: {Format(min)} .. {Format(max)}";
            svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{Left + 8}\" y=\"{Top + 16 + 16 * s}\" fill=\"{Escape(line.Color)}\">{range}</text>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
