using System.Text.RegularExpressions;
using ConvGen.Imaging;
using ConvGen.Plotting;
using ConvGen.Training;
using ScottPlot;

namespace ConvGen.Tests.Plotting;

/// <summary>
/// The training chart draws what the history says where its axes say it: checked on a made-up history with round
/// numbers, by decoding the PNG with ConvGen's own decoder (not Skia, which drew it) and reading the pixels under
/// each point, and by the SVG's text (title, axis labels, tick labels, legend).
/// </summary>
public sealed partial class TrainingChartTests
{
    private const string Title = "a made-up run";

    // Loss 2.0, 1.0, 0.5, 0.25; training accuracy 50% to 80%, validation 40% to 70%.
    private static readonly EpochMetrics[] History =
    [
        new(1, 2.0f, 0.5f, 2.2f, 0.4f, 1, 100),
        new(2, 1.0f, 0.6f, 1.1f, 0.5f, 1, 100),
        new(3, 0.5f, 0.7f, 0.6f, 0.6f, 1, 100),
        new(4, 0.25f, 0.8f, 0.3f, 0.7f, 1, 100),
    ];

    [Fact]
    public void EveryPointIsDrawnInItsSeriesColourWhereItsAxisPutsIt()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("chart.png");
        Plot plot = TrainingChart.Create(Title, History);
        plot.SavePng(path, TrainingChart.DefaultWidth, TrainingChart.DefaultHeight);
        RgbImage image = Png.Decode(File.ReadAllBytes(path), path).Match(Right: decoded => decoded, Left: error => throw new InvalidOperationException(error.Message));

        Assert.Equal((TrainingChart.DefaultWidth, TrainingChart.DefaultHeight), (image.Width, image.Height));
        foreach (EpochMetrics epoch in History)
        {
            AssertColourNear(image, plot.GetPixel(new Coordinates(epoch.Epoch, epoch.TrainLoss), plot.Axes.Bottom, plot.Axes.Left), (0xd6, 0x27, 0x28), $"training loss of epoch {epoch.Epoch}");
            AssertColourNear(image, plot.GetPixel(new Coordinates(epoch.Epoch, epoch.ValidationAccuracy!.Value * 100), plot.Axes.Bottom, plot.Axes.Right), (0x2c, 0xa0, 0x2c), $"validation accuracy of epoch {epoch.Epoch}");
        }
    }

    [Fact]
    public void AccuracyIsOnAFixedZeroToHundredPercentAxisAndLossStartsAtZero()
    {
        Plot plot = TrainingChart.Create(Title, History);
        plot.GetImage(TrainingChart.DefaultWidth, TrainingChart.DefaultHeight).Dispose();
        PixelRect data = plot.RenderManager.LastRender.DataRect;

        // 50% sits halfway up the data area, 0% on its bottom edge, 100% on its top edge: not stretched to 40%..80%.
        Assert.Equal(data.Bottom, plot.GetPixel(new Coordinates(1, 0), plot.Axes.Bottom, plot.Axes.Right).Y, 1);
        Assert.Equal(data.Top, plot.GetPixel(new Coordinates(1, 100), plot.Axes.Bottom, plot.Axes.Right).Y, 1);
        Assert.Equal((data.Top + data.Bottom) / 2, plot.GetPixel(new Coordinates(1, 50), plot.Axes.Bottom, plot.Axes.Right).Y, 1);
        Assert.Equal(data.Bottom, plot.GetPixel(new Coordinates(1, 0), plot.Axes.Bottom, plot.Axes.Left).Y, 1);
        // The highest loss, 2.2, fits below the top.
        Assert.InRange(plot.GetPixel(new Coordinates(1, 2.2), plot.Axes.Bottom, plot.Axes.Left).Y, data.Top, data.Bottom);
    }

    [Fact]
    public void TheSvgHasTheTitleAxisLabelsTicksAndALegendEntryPerSeries()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("chart.svg");
        TrainingChart.SaveSvg(path, Title, History);
        string[] texts = SvgText().Matches(File.ReadAllText(path)).Select(match => match.Groups["text"].Value).ToArray();

        Assert.Contains(Title, texts);
        Assert.Contains("epoch", texts);
        Assert.Contains("loss", texts);
        Assert.Contains("accuracy (%)", texts);
        Assert.Equal(["training loss", "validation loss", "training accuracy", "validation accuracy"], texts.Where(text => text.StartsWith("training ", StringComparison.Ordinal) || text.StartsWith("validation ", StringComparison.Ordinal)));
        // The accuracy axis reaches 100; whole epochs only along the bottom (no 1.5).
        Assert.Contains("100", texts);
        Assert.Contains("3", texts);
        Assert.DoesNotContain("1.5", texts);
    }

    [Fact]
    public void TheSameHistoryGivesTheSameSvgTextEvenAfterOtherCharts()
    {
        string first = TrainingChart.Svg(TrainingChart.Create(Title, History));
        _ = TrainingChart.Svg(TrainingChart.Create("another", History[..2]));

        Assert.Equal(first, TrainingChart.Svg(TrainingChart.Create(Title, History)));
    }

    [Fact]
    public void WithoutValidationOnlyTheTrainingCurvesAreDrawn()
    {
        EpochMetrics[] trainingOnly = History.Select(epoch => epoch with { ValidationLoss = null, ValidationAccuracy = null }).ToArray();

        Plot plot = TrainingChart.Create(Title, trainingOnly);

        Assert.Equal(["training loss", "training accuracy"], plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(line => line.LegendText));
    }

    [Fact]
    public void AnEmptyHistoryIsRefused() =>
        Assert.Throws<ArgumentException>(() => TrainingChart.Create(Title, []));

    [Fact]
    public void AComparisonDrawsEachRunsValidationPointsInItsColourOnAnAxisFromBelowTheLowestTo100()
    {
        // A second run 5 points better than History at every epoch: validation 45% to 75%.
        EpochMetrics[] better = History.Select(epoch => epoch with { TrainAccuracy = epoch.TrainAccuracy + 0.05f, ValidationAccuracy = epoch.ValidationAccuracy + 0.05f }).ToArray();
        using var folder = new TemporaryFolder();
        string path = folder.File("comparison.png");
        Plot plot = TrainingChart.Compare(Title, [("first", History), ("second", better)]);
        plot.SavePng(path, TrainingChart.DefaultWidth, TrainingChart.DefaultHeight);
        RgbImage image = Png.Decode(File.ReadAllBytes(path), path).Match(Right: decoded => decoded, Left: error => throw new InvalidOperationException(error.Message));
        PixelRect data = plot.RenderManager.LastRender.DataRect;

        foreach ((EpochMetrics[] run, (int, int, int) colour) in new[] { (History, (0x1f, 0x77, 0xb4)), (better, (0xd6, 0x27, 0x28)) })
        {
            foreach (EpochMetrics epoch in run)
            {
                AssertColourNear(image, plot.GetPixel(new Coordinates(epoch.Epoch, epoch.ValidationAccuracy!.Value * 100), plot.Axes.Bottom, plot.Axes.Left), colour, $"validation accuracy of epoch {epoch.Epoch}");
            }
        }

        // The lowest value, 40% (History's first validation), sits above the bottom edge; 100% is the top edge.
        Assert.InRange(plot.GetPixel(new Coordinates(1, 40), plot.Axes.Bottom, plot.Axes.Left).Y, data.Top, data.Bottom - 1);
        Assert.Equal(data.Top, plot.GetPixel(new Coordinates(1, 100), plot.Axes.Bottom, plot.Axes.Left).Y, 1);
        Assert.Equal(
            ["first, training", "first, validation", "second, training", "second, validation"],
            plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(line => line.LegendText));
    }

    [Fact]
    public void AComparisonWithoutRunsOrWithAnEmptyRunIsRefused()
    {
        Assert.Throws<ArgumentException>(() => TrainingChart.Compare(Title, []));
        Assert.Throws<ArgumentException>(() => TrainingChart.Compare(Title, [("first", History), ("empty", [])]));
    }

    // The point's pixel, or one of its neighbours (a marker is 5 px across), has the colour, allowing for antialiasing.
    private static void AssertColourNear(RgbImage image, Pixel pixel, (int R, int G, int B) colour, string what)
    {
        int x = (int)Math.Round(pixel.X), y = (int)Math.Round(pixel.Y);
        bool found = false;
        for (int dy = -1; dy <= 1 && !found; dy++)
        {
            for (int dx = -1; dx <= 1 && !found; dx++)
            {
                (byte r, byte g, byte b) = image[x + dx, y + dy];
                found = Math.Abs(r - colour.R) <= 12 && Math.Abs(g - colour.G) <= 12 && Math.Abs(b - colour.B) <= 12;
            }
        }

        Assert.True(found, $"{what}: no pixel of colour {colour} around ({x}, {y}); found {image[x, y]}");
    }

    // ScottPlot writes each text's characters on a line of their own inside <text ...>.
    [GeneratedRegex(@"<text[^>]*>\s*(?<text>[^<]*?)\s*</text>")]
    private static partial Regex SvgText();
}
