using ConvGen.Imaging;

namespace ConvGen.Tests.Imaging;

/// <summary>The SVG chart: points land where the scale puts them, text is escaped, and bad input is refused.</summary>
public sealed class LineChartTests
{
    [Fact]
    public void PointsSpanThePlotFromMinimumToMaximum()
    {
        string svg = LineChart.Svg("loss <&> accuracy", "epoch", [new ChartSeries("loss", "red", [2.0, 1.0, 0.0])]);

        // Plot box: x from 60 to 620, y from 40 (max) to 310 (min).
        Assert.Contains("d=\"M60,40 L340,175 L620,310\"", svg);
        Assert.Contains(">loss &lt;&amp;&gt; accuracy</text>", svg);
        Assert.Contains(">loss: 0 .. 2</text>", svg);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg);
    }

    [Fact]
    public void AChartWithoutValuesIsRefused()
    {
        Assert.Throws<ArgumentException>(() => LineChart.Svg("t", "x", [new ChartSeries("empty", "red", [])]));
    }
}
