using ConvGen.Samples.Mnist;
using ConvGen.Tests.Data;

namespace ConvGen.Tests.Robustness;

/// <summary>
/// <c>samples/Mnist</c> in a child process whose GC heap is capped (<c>DOTNET_GCHeapHardLimit</c>): data files that
/// claim gigabytes and a batch size that does not fit end with one line and exit code 1, where they used to end in an
/// <see cref="OutOfMemoryException"/> trace. The cap is what makes "allocates nothing it was not asked for" testable:
/// an allocation of the claimed size cannot succeed under it.
/// </summary>
public sealed class MemoryLimitTests
{
    private const string HeapLimit256MiB = "0x10000000";
    private const string HeapLimit512MiB = "0x20000000";

    public static TheoryData<string> Bombs => ["huge header", "gzip bomb", "gzip bomb with a forged trailer"];

    [Theory]
    [MemberData(nameof(Bombs))]
    public void AnImagesFileClaimingGigabytesIsRefusedUnderA256MiBHeap(string bomb)
    {
        using var work = new TemporaryFolder();
        string data = MnistCommandLineTests.CopyMnist(work);
        string images = Path.Combine(data, "train-images-idx3-ubyte.gz");
        File.WriteAllBytes(images, bomb switch
        {
            "gzip bomb" => IdxBombTests.GzipBomb(),
            "gzip bomb with a forged trailer" => IdxBombTests.ForgedGzipBomb(),
            _ => IdxBombTests.HugeHeader(),
        });

        (int exit, string error) = RunMnist(work, HeapLimit256MiB, "--data", data);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {images}: ", error.Trim());
        Assert.Contains("1 x 46340 x 46340 = 2,147,395,600 bytes", error);
        MnistCommandLineTests.AssertNoTraceAndNoCheckpoint(work, error);
    }

    [Fact]
    public void ABatchSizeThatDoesNotFitIsRefusedNamingTheSetting()
    {
        using var work = new TemporaryFolder();

        (int exit, string error) = RunMnist(work, HeapLimit512MiB, "--data", SharedData.Folder("mnist"), "--batch-size", "1000");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: The batch size 1000 needs about ", error.Trim());
        Assert.Contains("to train MnistNet", error);
        Assert.Contains("a batch size of at most ", error);
        MnistCommandLineTests.AssertNoTraceAndNoCheckpoint(work, error);
    }

    private static (int Exit, string Error) RunMnist(TemporaryFolder work, string heapLimit, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = heapLimit };
        (int exit, _, string error) = ChildProcess.Dotnet(work.Path, environment, [typeof(MnistNet).Assembly.Location, .. arguments]);
        return (exit, error);
    }
}
