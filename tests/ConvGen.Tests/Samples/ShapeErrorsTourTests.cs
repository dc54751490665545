using System.Text.RegularExpressions;

namespace ConvGen.Tests.Samples;

/// <summary>
/// samples/ShapeErrors cannot compile — every network in it is wrong on purpose — so it is built here: each
/// <c>// expect: CGxxxx</c> comment must be answered by exactly that diagnostic on the declaration below it, and
/// nothing else may be reported.
/// </summary>
[Collection(ChildProcess.BuildCollection)]
public sealed partial class ShapeErrorsTourTests
{
    [Fact]
    public void EveryMistakeInTheTourIsReportedWhereTheTourSays()
    {
        string sample = Path.Combine(ChildProcess.Repository(), "samples", "ShapeErrors");
        string[] tour = File.ReadAllLines(Path.Combine(sample, "Tour.cs"));
        // Each expectation points at the three lines after its comment: [Network], the layers, the record.
        var expected = tour.Select((line, index) => (Match: Expectation().Match(line), Line: index + 1))
            .Where(item => item.Match.Success)
            .Select(item => (Id: item.Match.Groups["id"].Value, First: item.Line + 1, Last: item.Line + 3))
            .ToList();

        // The runtime and generator as this test run built them: rebuilding them here could race another test reading them.
        (int exit, string output, string error) = ChildProcess.Dotnet(sample, "build", "-c", ChildProcess.Configuration(), "-p:BuildProjectReferences=false");

        Assert.NotEqual(0, exit);
        var reported = Reported().Matches(output).Select(match => (Id: match.Groups["id"].Value, Line: int.Parse(match.Groups["line"].Value))).Distinct().ToList();
        Assert.True(expected.Count >= 8, "the tour should show most diagnostics");
        foreach ((string id, int first, int last) in expected)
        {
            Assert.True(reported.Any(r => r.Id == id && r.Line >= first && r.Line <= last), $"{id} expected on lines {first}-{last}; reported: {string.Join(", ", reported)}\n{error}");
        }

        Assert.Equal(expected.Count, reported.Count);
    }

    [GeneratedRegex(@"// expect: (?<id>CG\d{4})")]
    private static partial Regex Expectation();

    [GeneratedRegex(@"Tour\.cs\((?<line>\d+),\d+\): (error|warning) (?<id>CG\d{4}):")]
    private static partial Regex Reported();
}
