using System.Globalization;
using System.Text.RegularExpressions;
using ConvGen.Training;
using ScottPlot;

namespace ConvGen.Plotting;

/// <summary>
/// The curves of a training run as a chart a person can read: epochs along the bottom with whole-number ticks, losses
/// on the left axis from 0, accuracies on the right axis in percent from 0 to 100 (so 63% to 99% looks like what it
/// is), a title, and a legend below the plot where it hides no curve.
/// </summary>
public static partial class TrainingChart
{
    /// <summary>The size charts are saved at unless told otherwise, in pixels.</summary>
    public const int DefaultWidth = 800, DefaultHeight = 480;

    /// <summary>The typeface of every text in the chart.</summary>
    public const string FontName = "DejaVu Sans";

    // Matplotlib's colours, as the notebooks draw: losses warm (training red, validation orange), accuracies cool
    // (training blue, validation green); training with round markers, validation with square ones. Solid lines only:
    // the SVG backend cannot dash a line (Skia prints a complaint to the console instead).
    private static readonly Color TrainingLoss = Color.FromHex("#d62728"), ValidationLoss = Color.FromHex("#ff7f0e");
    private static readonly Color TrainingAccuracy = Color.FromHex("#1f77b4"), ValidationAccuracy = Color.FromHex("#2ca02c");

    // One colour per run in a comparison, matplotlib's first ones.
    private static readonly Color[] RunColors = [Color.FromHex("#1f77b4"), Color.FromHex("#d62728"), Color.FromHex("#2ca02c"), Color.FromHex("#9467bd")];

    /// <summary>
    /// A chart of <paramref name="history"/>: training loss and accuracy, and the validation loss and accuracy of the
    /// epochs that have them. Returns ScottPlot's plot, to adjust further or to save with <see cref="SavePng"/> or
    /// <see cref="SaveSvg"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="history"/> is empty.</exception>
    public static Plot Create(string title, IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("A training chart needs at least one epoch.", nameof(history));
        }

        Plot plot = EpochChart(title);
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "accuracy (%)";

        double[] epochs = history.Select(epoch => (double)epoch.Epoch).ToArray();
        AddLine(plot, epochs, history.Select(epoch => (double?)epoch.TrainLoss), "training loss", TrainingLoss, MarkerShape.FilledCircle, plot.Axes.Left);
        AddLine(plot, epochs, history.Select(epoch => (double?)epoch.ValidationLoss), "validation loss", ValidationLoss, MarkerShape.FilledSquare, plot.Axes.Left);
        AddLine(plot, epochs, history.Select(epoch => (double?)epoch.TrainAccuracy * 100), "training accuracy", TrainingAccuracy, MarkerShape.FilledCircle, plot.Axes.Right);
        AddLine(plot, epochs, history.Select(epoch => (double?)epoch.ValidationAccuracy * 100), "validation accuracy", ValidationAccuracy, MarkerShape.FilledSquare, plot.Axes.Right);

        double highestLoss = history.SelectMany(epoch => new[] { epoch.TrainLoss, epoch.ValidationLoss ?? 0f }).Where(float.IsFinite).DefaultIfEmpty(1f).Max();
        FitEpochs(plot, epochs[0], epochs[^1]);
        plot.Axes.SetLimitsY(0, highestLoss * 1.08, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, 100, plot.Axes.Right);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>
    /// Networks side by side: each run's training accuracy (round markers) and validation accuracy (square markers) in
    /// a colour of its own, epochs along the bottom. The accuracy axis runs from a little below the lowest value to
    /// 100%, since runs worth comparing differ by tenths of a percent; its ticks say where it starts.
    /// </summary>
    /// <exception cref="ArgumentException">No runs, or a run without epochs.</exception>
    public static Plot Compare(string title, IReadOnlyList<(string Name, IReadOnlyList<EpochMetrics> History)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0 || runs.Any(run => run.History is not { Count: > 0 }))
        {
            throw new ArgumentException("A comparison chart needs at least one run, and every run at least one epoch.", nameof(runs));
        }

        Plot plot = EpochChart(title);
        plot.YLabel("accuracy (%)");
        for (int i = 0; i < runs.Count; i++)
        {
            (string name, IReadOnlyList<EpochMetrics> history) = runs[i];
            Color color = RunColors[i % RunColors.Length];
            double[] epochs = history.Select(epoch => (double)epoch.Epoch).ToArray();
            AddLine(plot, epochs, history.Select(epoch => (double?)epoch.TrainAccuracy * 100), name + ", training", color.WithAlpha(0.55), MarkerShape.FilledCircle, plot.Axes.Left);
            AddLine(plot, epochs, history.Select(epoch => (double?)epoch.ValidationAccuracy * 100), name + ", validation", color, MarkerShape.FilledSquare, plot.Axes.Left);
        }

        IEnumerable<EpochMetrics> all = runs.SelectMany(run => run.History);
        double lowest = all.SelectMany(epoch => new[] { epoch.TrainAccuracy, epoch.ValidationAccuracy ?? 1f }).Where(float.IsFinite).Min() * 100;
        FitEpochs(plot, all.Min(epoch => epoch.Epoch), all.Max(epoch => epoch.Epoch));
        plot.Axes.SetLimitsY(Math.Max(0, Math.Floor(lowest) - 1), 100, plot.Axes.Left);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>Draws the chart of <paramref name="history"/> as a PNG file at <paramref name="path"/>.</summary>
    public static void SavePng(string path, string title, IReadOnlyList<EpochMetrics> history, int width = DefaultWidth, int height = DefaultHeight) =>
        Create(title, history).SavePng(path, width, height);

    /// <summary>
    /// Draws the chart of <paramref name="history"/> as an SVG file at <paramref name="path"/>; the same history gives
    /// the same text, byte for byte.
    /// </summary>
    public static void SaveSvg(string path, string title, IReadOnlyList<EpochMetrics> history, int width = DefaultWidth, int height = DefaultHeight) =>
        File.WriteAllText(path, Svg(Create(title, history), width, height));

    /// <summary>
    /// <paramref name="plot"/> as SVG text. Skia names clip paths from a counter shared by the whole process, so the
    /// same chart drawn twice would differ; the names are renumbered in order of appearance.
    /// </summary>
    public static string Svg(Plot plot, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(plot);
        string svg = plot.GetSvgXml(width, height);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipPathName().Replace(svg, match =>
        {
            string name = match.Groups["name"].Value;
            if (!names.TryGetValue(name, out string? renamed))
            {
                renamed = "clip" + names.Count.ToString(CultureInfo.InvariantCulture);
                names.Add(name, renamed);
            }

            return match.Value.Replace(name, renamed, StringComparison.Ordinal);
        });
    }

    // A titled plot with whole epochs along the bottom. One named sans-serif face rather than whatever the system lists
    // first (DejaVu Serif on Debian), so the text reads the same in PNG and SVG; where DejaVu is missing Skia falls back
    // to its default face.
    private static Plot EpochChart(string title)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    // The epochs from first to last, with a little room on either side so the end markers are whole.
    private static void FitEpochs(Plot plot, double first, double last)
    {
        double margin = Math.Max(0.25, (last - first) * 0.03);
        plot.Axes.SetLimitsX(first - margin, last + margin);
    }

    // One curve through the epochs that have a value; nothing when none has (no validation set).
    private static void AddLine(Plot plot, double[] epochs, IEnumerable<double?> values, string name, Color color, MarkerShape marker, IYAxis axis)
    {
        double?[] all = values.ToArray();
        int[] present = Enumerable.Range(0, all.Length).Where(i => all[i] is double value && double.IsFinite(value)).ToArray();
        if (present.Length == 0)
        {
            return;
        }

        var line = plot.Add.Scatter(present.Select(i => epochs[i]).ToArray(), present.Select(i => all[i]!.Value).ToArray(), color);
        line.LegendText = name;
        line.MarkerShape = marker;
        line.LineWidth = 2;
        line.MarkerSize = 5;
        line.Axes.YAxis = axis;
    }

    // id="cl_a" where a clip path is declared, url(#cl_a) where it is used.
    [GeneratedRegex(@"(id=""|url\(#)(?<name>cl_[0-9a-z]+)")]
    private static partial Regex ClipPathName();
}
