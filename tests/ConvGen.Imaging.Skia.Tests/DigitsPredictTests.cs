using System.Text.RegularExpressions;
using ConvGen.Tests;

namespace ConvGen.Imaging.Skia.Tests;

/// <summary>
/// <c>dotnet run --project samples/DigitsPredict -- image</c> as a user runs it, on a digit 3 from the embedded data
/// drawn as dark ink on white at 32x32 (tools/fixtures/make_image_fixtures.py), as a JPEG and as a palette PNG.
/// </summary>
[Collection(ChildProcess.BuildCollection)]
public sealed partial class DigitsPredictTests
{
    [Theory]
    [InlineData("digit-3.jpg")]
    [InlineData("digit-3.png")]
    public void TheDigitsPredictSamplePredictsTheDigitInAnImageFile(string file)
    {
        (int exit, string output, string error) = RunDigitsPredict(Fixture.Image(file));

        Assert.True(exit == 0, output + error);
        Match predicted = Predicted().Match(output);
        Assert.True(predicted.Success, output);
        Assert.Equal("3", predicted.Groups["digit"].Value);
        // Ten probabilities that sum to one, the largest the predicted class's.
        float[] probabilities = Probability().Matches(output).Select(match => float.Parse(match.Groups["p"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(10, probabilities.Length);
        Assert.Equal(1f, probabilities.Sum(), 0.002f);
        Assert.Equal(3, Array.IndexOf(probabilities, probabilities.Max()));
    }

    [Fact]
    public void AMissingImageIsAOneLineErrorAndExitCodeOne()
    {
        (int exit, string output, string error) = RunDigitsPredict("no-such-digit.png");

        Assert.Equal(1, exit);
        Assert.Equal("no-such-digit.png: no such image file.", error.Trim());
        Assert.DoesNotContain("training", output, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpListsTheImageAndTheOptions()
    {
        (int exit, string output, string error) = RunDigitsPredict("--help");

        Assert.True(exit == 0, output + error);
        Assert.Contains("DigitsPredict <image> [options]", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+--epochs <N>", output);
    }

    [Theory]
    [InlineData(new[] { "digit.png", "--epochs", "many" }, "error: --epochs takes a whole number, got 'many'. (--help lists the options)")]
    [InlineData(new string[0], "error: Required argument missing for command: 'DigitsPredict'. (--help lists the options)")]
    public void ABadCommandLineIsOneLineAndExitCodeTwo(string[] arguments, string expected)
    {
        (int exit, string output, string error) = RunDigitsPredict(arguments);

        Assert.Equal((2, "", expected), (exit, output, error.Trim()));
    }

    private static (int Exit, string Output, string Error) RunDigitsPredict(params string[] arguments) =>
        ChildProcess.Dotnet(
            Path.GetTempPath(),
            ["run", "--project", Path.Combine(ChildProcess.Repository(), "samples", "DigitsPredict"), "-c", ChildProcess.Configuration(), "--no-build", "--", .. arguments]);

    [GeneratedRegex(@"^predicted: (?<digit>\d) ", RegexOptions.Multiline)]
    private static partial Regex Predicted();

    [GeneratedRegex(@"^  \d: (?<p>[0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex Probability();
}
