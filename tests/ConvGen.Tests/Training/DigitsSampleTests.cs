using System.Text.RegularExpressions;
using ConvGen.Samples.Digits;
using ConvGen.Terminal;

namespace ConvGen.Tests.Training;

/// <summary>The zero-setup sample does what the README promises: at least 95% on its seeded 80/20 split.</summary>
public sealed class DigitsSampleTests
{
    [Fact]
    public void TheDigitsSampleReachesItsAccuracy()
    {
        var output = new StringWriter();
        float accuracy = DigitsTraining.Run(output, TrainingDisplay.Plain(output));

        Assert.True(accuracy >= 0.95f, $"test accuracy {accuracy:P2} is below 95%:\n{output}");
        string last = output.ToString().TrimEnd().Split('\n')[^1];
        Assert.Matches(new Regex(@"^test accuracy: \d+\.\d\d%$"), last);
    }
}
