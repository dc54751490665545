using ConvGen.Samples.OnnxDeployment;
using ConvGen.Tests;

namespace ConvGen.Onnx.Tests;

/// <summary>The OnnxExport sample's command line in a child process: <c>--help</c> lists its options, a bad argument is one line and exit code 2.</summary>
public sealed class OnnxExportCommandLineTests
{
    private static readonly string Sample = typeof(OnnxDeployment).Assembly.Location;

    [Fact]
    public void HelpListsTheOptions()
    {
        (int exit, string output, string error) = ChildProcess.Dotnet(Path.GetTempPath(), Sample, "--help");

        Assert.True(exit == 0, output + error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+--output <FILE>", output);
        Assert.Matches(@"(?m)^\s+--epochs <N>", output);
    }

    [Theory]
    [InlineData("--epochs", "ten", "error: --epochs takes a whole number, got 'ten'. (--help lists the options)")]
    [InlineData("--epochs", "-1", "error: --epochs must be at least 1, got -1. (--help lists the options)")]
    [InlineData("--outptu", "x.onnx", "error: Unrecognized command or argument '--outptu'. (--help lists the options)")]
    public void ABadArgumentIsOneLineAndExitCodeTwo(string option, string value, string expected)
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = ChildProcess.Dotnet(work.Path, Sample, option, value);

        Assert.Equal((2, "", expected), (exit, output, error.Trim()));
        Assert.False(Directory.Exists(Path.Combine(work.Path, "models")), "a refused command line wrote a model");
    }
}
