using LanguageExt;

namespace ConvGen.Imaging.Skia.Tests;

/// <summary>Files and options a user can get wrong come back as errors that say what is wrong and with which file.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convgen-imaging-").FullName;

    [Fact]
    public void AMissingFileIsNamed()
    {
        string path = Path.Combine(folder, "absent.png");

        Assert.Equal($"{path}: no such image file.", Error(ImageInput.Load(path, ImageInputOptions.Greyscale(8, 8))));
    }

    [Fact]
    public void ATruncatedPngIsCorrupt()
    {
        byte[] whole = File.ReadAllBytes(Fixture.Image("interlaced.png"));
        string path = Path.Combine(folder, "truncated.png");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        string message = Error(ImageInput.Load(path, ImageInputOptions.Rgb(7, 9)));

        Assert.StartsWith($"{path}: a corrupt or truncated", message, StringComparison.Ordinal);
    }

    [Fact]
    public void APngSignatureFollowedByRubbishIsCorrupt()
    {
        string path = Path.Combine(folder, "rubbish.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

        Assert.StartsWith($"{path}: a corrupt or truncated", Error(ImageInput.Load(path, ImageInputOptions.Rgb(7, 9))), StringComparison.Ordinal);
    }

    [Fact]
    public void ATextFileIsNotAnImageFormat()
    {
        string path = Path.Combine(folder, "notes.png");
        File.WriteAllText(path, "these are notes, not pixels\n");

        Assert.StartsWith($"{path}: not an image format SkiaSharp can read", Error(ImageInput.Load(path, ImageInputOptions.Rgb(7, 9))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 8, 8, 1, "1 (greyscale) or 3 (RGB) channels, not 2")]
    [InlineData(1, 0, 8, 1, "a positive size, not 0x8")]
    [InlineData(3, 8, 8, 2, "The mean needs 1 or 3 values, not 2")]
    public void OptionsThatDescribeNoInputAreRefused(int channels, int height, int width, int means, string expected)
    {
        var options = new ImageInputOptions(channels, height, width) { Mean = [.. Enumerable.Repeat(0.5f, means)] };

        Assert.Contains(expected, Error(ImageInput.Load(Fixture.Image("palette.png"), options)), StringComparison.Ordinal);
    }

    [Fact]
    public void AZeroStandardDeviationIsRefused()
    {
        var options = ImageInputOptions.Greyscale(3, 5) with { StandardDeviation = [0f] };

        Assert.Contains("non-zero", Error(ImageInput.Load(Fixture.Image("palette.png"), options)), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Error(Either<ConvGenError, float[]> result) =>
        result.Match(Right: _ => throw new Xunit.Sdk.XunitException("expected an error"), Left: error => error.Message);
}
