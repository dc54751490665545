using System.Diagnostics;
using ConvGen.Samples.Mnist;
using ConvGen.Tests.Samples;

namespace ConvGen.Tests.Robustness;

/// <summary>
/// <c>samples/Mnist</c> stopped with Ctrl+C (SIGINT) as a user stops it, in a child process: it saves a resumable
/// checkpoint and exits with 130; run again with <c>--resume</c>, it ends with the very checkpoint file, byte for byte, and
/// the test accuracy of a run never interrupted.
/// </summary>
public sealed class MnistResumeTests
{
    private const int Epochs = 20;

    [Fact]
    public void CtrlCSavesAResumableCheckpointAndResumingEndsWithTheUninterruptedRunsFile()
    {
        Assert.False(OperatingSystem.IsWindows(), "SIGINT is sent with kill(1), which Windows has not");
        using var work = new TemporaryFolder();
        // 64 images in batches of 16: 4 steps an epoch, quick enough to run three times.
        string[] run = [typeof(MnistNet).Assembly.Location, "--data", SampleSnapshotTests.MnistWithShortTestSet(work, testImages: 500), "--limit", "64",
            "--batch-size", "16", "--epochs", $"{Epochs}"];
        string interrupted = work.File("interrupted"), whole = work.File("whole"), resumable = Path.Combine(interrupted, "mnist-seed1.resume.safetensors");

        (int stoppedExit, string stoppedOutput, string stoppedError) = RunAndInterrupt(work.Path, [.. run, "--checkpoints", interrupted]);

        Assert.True(stoppedExit == MnistConsole.Interrupted, $"exit {stoppedExit}: {stoppedOutput}{stoppedError}");
        Assert.Equal(string.Empty, stoppedError);
        Assert.Contains("Cancelled in epoch ", stoppedOutput);
        Assert.Contains($"resumable checkpoint: {resumable}", stoppedOutput);
        Assert.Equal([resumable], Directory.GetFiles(interrupted));

        (int resumedExit, string resumedOutput, string resumedError) = ChildProcess.Dotnet(work.Path, [.. run, "--checkpoints", interrupted, "--resume", resumable]);
        (int wholeExit, string wholeOutput, _) = ChildProcess.Dotnet(work.Path, [.. run, "--checkpoints", whole]);

        Assert.Equal((0, string.Empty), (resumedExit, resumedError));
        Assert.Equal(0, wholeExit);
        string final = $"mnist-seed1-epochs{Epochs}.safetensors";
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, final)), File.ReadAllBytes(Path.Combine(interrupted, final)));
        Assert.Equal(TestAccuracy(wholeOutput), TestAccuracy(resumedOutput));
    }

    // Starts the sample, sends it SIGINT once it reports its first epoch, and returns how it ended.
    private static (int Exit, string Output, string Error) RunAndInterrupt(string workingDirectory, string[] arguments)
    {
        using Process process = ChildProcess.Start(workingDirectory, new Dictionary<string, string>(), arguments);
        Task<string> error = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            output.AppendLine(line);
            if (line.StartsWith($"epoch 1/{Epochs}:", StringComparison.Ordinal))
            {
                using Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                kill.WaitForExit();
                break;
            }
        }

        output.Append(process.StandardOutput.ReadToEnd());
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "the sample did not stop after SIGINT");
        return (process.ExitCode, output.ToString(), error.Result);
    }

    private static string TestAccuracy(string output) => output.Split('\n').Single(line => line.StartsWith("test accuracy: ", StringComparison.Ordinal));
}
