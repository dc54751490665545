using System.IO.Compression;
using System.Text;
using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>The embedded digits and the CSV reader: the real file's facts, and a clear error for every kind of bad file.</summary>
public sealed class DigitsDataTests
{
    [Fact]
    public void TheEmbeddedCopyHoldsScikitLearnsDigits()
    {
        Dataset digits = DigitsData.LoadEmbedded();

        Assert.Equal(1797, digits.Count);
        Assert.Equal("1x8x8", digits.SampleShapeText);
        // sklearn: the first image is a 0 whose first row is 0 0 5 13 9 1 0 0.
        Assert.Equal(0, digits.Labels[0]);
        Assert.Equal([0f, 0f, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0f, 0f], digits.Images[..8].ToArray());
        int[] perClass = new int[10];
        foreach (int label in digits.Labels)
        {
            perClass[label]++;
        }

        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], perClass);
    }

    [Fact]
    public void TheSplitIsSeededAndDisjoint()
    {
        Dataset digits = DigitsData.LoadEmbedded();
        (Dataset train, Dataset test) = digits.Split(0.8, seed: 7);
        (Dataset again, _) = digits.Split(0.8, seed: 7);

        Assert.Equal(1437, train.Count);
        Assert.Equal(360, test.Count);
        Assert.Equal(train.Images.ToArray(), again.Images.ToArray());
    }

    [Theory]
    [InlineData("1,2,3\n", "line 1: expected 65 values (64 pixels and a label) but found 3.")]
    [InlineData("", "holds no images.")]
    public void MalformedContentIsRefusedWithItsLine(string csv, string expectedEnd)
    {
        string error = Parse(Gzip(csv));

        Assert.Equal("test.csv.gz: " + expectedEnd, error.Replace("test.csv.gz, ", "test.csv.gz: "));
    }

    [Fact]
    public void AnOutOfRangePixelIsRefused()
    {
        string line = string.Join(",", Enumerable.Repeat("0", 10)) + ",17," + string.Join(",", Enumerable.Repeat("0", 53)) + ",3\n";

        Assert.Equal("test.csv.gz, line 1: pixel 10 must be a level 0..16, found '17'.", Parse(Gzip(line)));
    }

    [Fact]
    public void AFileThatIsNotGzipIsRefused()
    {
        string error = Parse(Encoding.ASCII.GetBytes("this is not gzip"));

        Assert.StartsWith("test.csv.gz: not a valid gzip stream", error);
    }

    [Fact]
    public void AMissingFileIsAnErrorValueNotAnException()
    {
        string error = DigitsData.Load("/nonexistent/digits.csv.gz").Match(Right: _ => "loaded", Left: failure => failure.Message);

        Assert.StartsWith("/nonexistent/digits.csv.gz: cannot be read", error);
    }

    private static string Parse(byte[] bytes) =>
        DigitsData.Parse(new MemoryStream(bytes), "test.csv.gz").Match(Right: _ => "loaded", Left: failure => failure.Message);

    private static byte[] Gzip(string text)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.ASCII.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
