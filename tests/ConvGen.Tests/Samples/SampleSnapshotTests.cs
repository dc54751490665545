using System.Reflection;
using System.Runtime.CompilerServices;
using ConvGen.Samples.Convolutions;
using ConvGen.Data;
using ConvGen.Imaging;
using ConvGen.Samples.PaddingAndStride;
using ConvGen.Samples.EdgeDetection;
using ConvGen.Samples.Kernels;

namespace ConvGen.Tests.Samples;

/// <summary>
/// Every sample's printed output, in a short seeded configuration, against a committed
/// <c>Snapshots/SampleSnapshotTests.{Method}.verified.txt</c>. Timing figures never appear in these outputs.
/// </summary>
public sealed class SampleSnapshotTests
{
    private static readonly string SnapshotFolder = Path.Combine(ProjectFolder(), "Snapshots");

    [Fact]
    public void Convolutions() => Verify(ConvolutionsTour.Run);

    [Fact]
    public void EdgeDetection() => Verify(output => EdgeKernelLearning.Run(output));

    [Fact]
    public void PaddingAndStride()
    {
        (Dataset train, Dataset test) = IdxDataset.Load(SharedData.Folder("fashion-mnist"), DatasetSource.FashionMnist)
            .Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
        Dataset shortTrain = train.Select(Dataset.Permutation(train.Count, seed: 1).AsSpan(0, 1024));
        Dataset shortTest = test.Select(Enumerable.Range(0, 512).ToArray());

        Verify(output => Comparison.Run(output, shortTrain, shortTest, epochs: 1));
    }

    [Fact]
    public void Kernels()
    {
        using var folder = new TemporaryFolder();
        string picture = "";
        Verify(output => picture = KernelOfAThree.Run(output, folder.Path));

        RgbImage drawn = Png.Decode(File.ReadAllBytes(picture), picture).Match(Right: image => image, Left: error => throw new InvalidOperationException(error.Message));
        string? failure = SnapshotFile.ComparePicture(SnapshotFolder, nameof(SampleSnapshotTests) + "." + nameof(Kernels) + "#kernels", drawn);
        Assert.True(failure is null, failure);
    }

    [Fact]
    public void EveryVerifiedFileBelongsToATest()
    {
        HashSet<string> tests = typeof(SampleSnapshotTests).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(method => method.Name != nameof(EveryVerifiedFileBelongsToATest))
            .Select(method => SnapshotFile.VerifiedName(nameof(SampleSnapshotTests) + "." + method.Name, "txt"))
            .ToHashSet();
        tests.Add(SnapshotFile.VerifiedName(nameof(SampleSnapshotTests) + "." + nameof(Kernels) + "#kernels", "png"));
        string[] stale = Directory.EnumerateFiles(SnapshotFolder, "*.verified.*").Select(Path.GetFileName).Where(name => !tests.Contains(name!)).ToArray()!;

        Assert.True(stale.Length == 0, "Snapshots no test claims: " + string.Join(", ", stale));
    }

    private static void Verify(Action<TextWriter> sample, [CallerMemberName] string test = "")
    {
        var output = new StringWriter { NewLine = "\n" };
        sample(output);
        string? failure = SnapshotFile.Compare(SnapshotFolder, nameof(SampleSnapshotTests) + "." + test, "txt", output.ToString());
        Assert.True(failure is null, failure);
    }

    private static string ProjectFolder([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!;
}
