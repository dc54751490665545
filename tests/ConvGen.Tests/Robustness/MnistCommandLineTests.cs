using ConvGen.Samples.Mnist;

namespace ConvGen.Tests.Robustness;

/// <summary>
/// <c>samples/Mnist --data DIR</c> run as a user runs it, in a child process: every bad folder ends with a non-zero exit
/// and one clear message on stderr, never an exception trace, and no checkpoint is written.
/// </summary>
public sealed class MnistCommandLineTests
{
    private static readonly string[] Files =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    [Fact]
    public void AMissingFolderIsNamed()
    {
        using var work = new TemporaryFolder();
        string missing = work.File("no-such-folder");

        (int exit, string error) = RunMnist(work, "--data", missing);

        Assert.Equal(1, exit);
        Assert.Equal($"error: {missing}: holds neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte.", error.Trim());
    }

    [Fact]
    public void ATruncatedFileIsNamedWithWhatIsWrong()
    {
        using var work = new TemporaryFolder();
        string data = CopyMnist(work);
        string labels = Path.Combine(data, "t10k-labels-idx1-ubyte.gz");
        byte[] whole = File.ReadAllBytes(labels);
        File.WriteAllBytes(labels, whole[..(whole.Length / 2)]);

        (int exit, string error) = RunMnist(work, "--data", data);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {labels}: ", error.Trim());
        AssertNoTraceAndNoCheckpoint(work, error);
    }

    [Fact]
    public void AWrongMagicNumberIsNamed()
    {
        using var work = new TemporaryFolder();
        string data = CopyMnist(work);
        // A labels file where the images file should be: a valid IDX file of the wrong kind.
        File.Copy(Path.Combine(data, "train-labels-idx1-ubyte.gz"), Path.Combine(data, "train-images-idx3-ubyte.gz"), overwrite: true);

        (int exit, string error) = RunMnist(work, "--data", data);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {Path.Combine(data, "train-images-idx3-ubyte.gz")}: ", error.Trim());
        Assert.Contains("magic", error);
        AssertNoTraceAndNoCheckpoint(work, error);
    }

    [Fact]
    public void AnInvalidSettingIsRefusedBeforeTraining()
    {
        using var work = new TemporaryFolder();

        (int exit, string error) = RunMnist(work, "--data", SharedData.Folder("mnist"), "--batch-size", "0");

        Assert.Equal(1, exit);
        Assert.Equal("error: The batch size must be at least 1, got 0.", error.Trim());
        AssertNoTraceAndNoCheckpoint(work, error);
    }

    [Fact]
    public void AHugeLearningRateEndsInAnErrorNotACheckpointOfOverflowedWeights()
    {
        using var work = new TemporaryFolder();

        (int exit, string error) = RunMnist(work, "--data", SharedData.Folder("mnist"), "--learning-rate", "1e30", "--limit", "256", "--epochs", "1");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: Training diverged in epoch 1, step ", error.Trim());
        Assert.EndsWith("try a smaller learning rate. No checkpoint was written.", error.Trim());
        AssertNoTraceAndNoCheckpoint(work, error);
    }

    [Fact]
    public void ACheckpointFolderThatCannotBeMadeIsRefusedBeforeLoadingOrTraining()
    {
        using var work = new TemporaryFolder();
        string file = work.File("a-file");
        File.WriteAllText(file, "not a folder");

        // No --data: without the check first, the run would reach the download before failing.
        (int exit, string error) = RunMnist(work, "--checkpoints", Path.Combine(file, "checkpoints"));

        Assert.Equal(1, exit);
        Assert.Equal($"error: --checkpoints {Path.Combine(file, "checkpoints")}: {file} is a file, so the checkpoint folder cannot be created.", error.Trim());
    }

    [Fact]
    public void ANegativeL2PenaltyIsRefusedBeforeTraining()
    {
        using var work = new TemporaryFolder();

        (int exit, string error) = RunMnist(work, "--data", SharedData.Folder("mnist"), "--l2-penalty", "-0.5");

        Assert.Equal(1, exit);
        Assert.Equal("error: The L2 penalty must be a finite number of at least 0, got -0.5.", error.Trim());
        AssertNoTraceAndNoCheckpoint(work, error);
    }

    internal static void AssertNoTraceAndNoCheckpoint(TemporaryFolder work, string error)
    {
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
        Assert.False(Directory.Exists(work.File("checkpoints")), "a failed run wrote a checkpoint folder");
    }

    internal static string CopyMnist(TemporaryFolder work)
    {
        string data = work.File("mnist");
        Directory.CreateDirectory(data);
        foreach (string file in Files)
        {
            File.Copy(Path.Combine(SharedData.Folder("mnist"), file), Path.Combine(data, file));
        }

        return data;
    }

    private static (int Exit, string Error) RunMnist(TemporaryFolder work, params string[] arguments)
    {
        (int exit, _, string error) = ChildProcess.Dotnet(work.Path, [typeof(MnistNet).Assembly.Location, .. arguments]);
        return (exit, error);
    }
}
