using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ConvGen.Samples.FashionAugmentation;
using ConvGen.Samples.Convolutions;
using ConvGen.Data;
using ConvGen.Imaging;
using ConvGen.Samples.Digits;
using ConvGen.Samples.PaddingAndStride;
using ConvGen.Samples.EdgeDetection;
using ConvGen.Samples.Kernels;
using ConvGen.Samples.Mnist;
using ConvGen.Terminal;
using ConvGen.Samples.ResNet;
using Spectre.Console;

namespace ConvGen.Tests.Samples;

/// <summary>
/// Every sample's printed output, in a short seeded configuration, against a committed
/// <c>Snapshots/SampleSnapshotTests.{Method}.verified.txt</c>, and the pictures it draws against
/// <c>SampleSnapshotTests.{Method}#{picture}.verified.*</c> (PNG by decoded pixels, SVG by text). Samples run in this
/// process, as a user's program would call them; timing figures and temporary folders are replaced by placeholders.
/// </summary>
public sealed class SampleSnapshotTests
{
    private static readonly string SnapshotFolder = Path.Combine(ProjectFolder(), "Snapshots");

    // The pictures each test compares besides its text, by test name.
    private static readonly Dictionary<string, string[]> Pictures = new()
    {
        [nameof(Digits)] = ["digits-training.svg"],
        [nameof(Kernels)] = ["kernels.png", "feature-maps.png", "exercise-training.svg"],
        [nameof(FashionAugmentation)] = ["augmented-samples.png"],
    };

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

        Verify(output => Comparison.Run(output, TrainingDisplay.Plain(output), shortTrain, shortTest, epochs: 1), WithoutTimings);
    }

    [Fact]
    public void FashionAugmentation()
    {
        (Dataset train, Dataset test) = IdxDataset.Load(SharedData.Folder("fashion-mnist"), DatasetSource.FashionMnist)
            .Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
        using var metrics = new TemporaryFolder();
        Dataset shortTrain = train.Select(Dataset.Permutation(train.Count, seed: 1).AsSpan(0, 256));

        Verify(
            output => AugmentationComparison.Run(output, TrainingDisplay.Plain(output), shortTrain, test.Select(Enumerable.Range(0, 512).ToArray()), epochs: 2, metrics.Path),
            text => WithoutTimings(text).Replace(metrics.Path, "{metrics}"));

        // Each run's log: the header and one row per epoch.
        Assert.All(new[] { "plain.csv", "augmented.csv" }, file => Assert.Equal(3, File.ReadAllLines(metrics.File(file)).Length));
        AugmentationComparison.DrawAugmentedSamples(shortTrain, metrics.File("augmented-samples.png"));
        VerifyPictures(metrics.Path);
    }

    [Fact]
    public void ResNet()
    {
        (Dataset train, Dataset test) = IdxDataset.Load(SharedData.Folder("fashion-mnist"), DatasetSource.FashionMnist)
            .Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
        Dataset shortTrain = train.Select(Dataset.Permutation(train.Count, seed: 1).AsSpan(0, 512));
        Dataset shortTest = test.Select(Enumerable.Range(0, 256).ToArray());

        // Times differ on every run: the epoch lines' and the comparison's.
        Verify(
            output => ResNetComparison.Run(output, TrainingDisplay.Plain(output), shortTrain, shortTest, epochs: 1, batchSize: 64, augmentation: ResNetComparison.Mirroring),
            text => Regex.Replace(WithoutTimings(text), @" +\d+\.\d s\n", "  {seconds}\n"));
    }

    [Fact]
    public void Kernels()
    {
        using var pictures = new TemporaryFolder();
        var error = new StringWriter();
        int exit = -1;

        // Both parts: the kernel of a 3 as the sample runs it, the exercise network on 256 images for 2 epochs.
        Verify(output => exit = KernelsSample.Run(output, error, TrainingDisplay.Plain(output), pictures.Path, SharedData.Folder("fashion-mnist"), images: 256, epochs: 2), WithoutTimings);

        Assert.Equal((0, ""), (exit, error.ToString()));
        VerifyPictures(pictures.Path);
    }

    [Fact]
    public void Digits()
    {
        using var pictures = new TemporaryFolder();

        Verify(output => DigitsTraining.Run(output, TrainingDisplay.Plain(output), epochs: 3, chartPath: pictures.File("digits-training.svg")), text => WithoutTimings(text).Replace(pictures.Path, "{pictures}"));

        VerifyPictures(pictures.Path);
    }

    [Fact]
    public async Task Mnist()
    {
        using var work = new TemporaryFolder();
        string checkpoints = work.File("checkpoints");
        var settings = new MnistSettings(
            MnistWithShortTestSet(work, testImages: 1000), "mnist", Epochs: 1, BatchSize: 64, LearningRate: 1e-3f, Seed: 1, CheckpointFolder: checkpoints, TrainLimit: 512);
        // Not a terminal: one plain line an epoch, as in a redirected run.
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(TextWriter.Null) });
        StringWriter output = NewOutput(), error = new();

        int exit = await MnistConsole.RunAsync(settings, console, output, error);

        Assert.Equal((0, ""), (exit, error.ToString()));
        Assert.True(File.Exists(Path.Combine(checkpoints, "mnist-seed1-epochs1.safetensors")), "no checkpoint was written");
        VerifyText(WithoutTimings(output.ToString()).Replace(checkpoints, "{checkpoints}"));
    }

    [Fact]
    public void EveryVerifiedFileBelongsToATest()
    {
        HashSet<string> claimed = typeof(SampleSnapshotTests).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(method => method.Name != nameof(EveryVerifiedFileBelongsToATest))
            .Select(method => SnapshotFile.VerifiedName(nameof(SampleSnapshotTests) + "." + method.Name, "txt"))
            .Concat(Pictures.SelectMany(test => test.Value.Select(file => SnapshotFile.VerifiedName(PictureName(test.Key, file), Extension(file)))))
            .ToHashSet();
        string[] stale = Directory.EnumerateFiles(SnapshotFolder, "*.verified.*").Select(Path.GetFileName).Where(name => !claimed.Contains(name!)).ToArray()!;

        Assert.True(stale.Length == 0, "Snapshots no test claims: " + string.Join(", ", stale));
    }

    // The sample evaluates on every test image, ten times the work of its short training run: a copy of MNIST whose
    // test files hold only the first images keeps the test short. The training files are copied whole.
    internal static string MnistWithShortTestSet(TemporaryFolder work, int testImages)
    {
        string source = SharedData.Folder("mnist"), copy = work.File("mnist");
        Directory.CreateDirectory(copy);
        foreach (string file in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz" })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(copy, file));
        }

        WriteFirstItems(source, copy, "t10k-images-idx3-ubyte", headerBytes: 16, itemBytes: 28 * 28, testImages);
        WriteFirstItems(source, copy, "t10k-labels-idx1-ubyte", headerBytes: 8, itemBytes: 1, testImages);
        return copy;
    }

    // An IDX file's header (its count, the first dimension, rewritten) and its first items, uncompressed.
    private static void WriteFirstItems(string source, string copy, string name, int headerBytes, int itemBytes, int count)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(source, name + ".gz")), CompressionMode.Decompress);
        byte[] file = new byte[headerBytes + count * itemBytes];
        gzip.ReadExactly(file);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        File.WriteAllBytes(Path.Combine(copy, name), file);
    }

    // "1,234 images/s, 5.6 s, ETA 1m 02s" in the training display's epoch lines: different on every run.
    private static string WithoutTimings(string text) =>
        Regex.Replace(text, @"[\d,]+ images/s, \d+\.\d s(, ETA [\dhms ]+)?$", "{images/s}, {seconds}", RegexOptions.Multiline);

    private static StringWriter NewOutput() => new() { NewLine = "\n" };

    private static void Verify(Action<TextWriter> sample, Func<string, string>? scrub = null, [CallerMemberName] string test = "")
    {
        StringWriter output = NewOutput();
        sample(output);
        VerifyText(scrub is null ? output.ToString() : scrub(output.ToString()), test);
    }

    private static void VerifyText(string text, [CallerMemberName] string test = "")
    {
        string? failure = SnapshotFile.Compare(SnapshotFolder, nameof(SampleSnapshotTests) + "." + test, "txt", text);
        Assert.True(failure is null, failure);
    }

    private static void VerifyPictures(string folder, [CallerMemberName] string test = "")
    {
        foreach (string file in Pictures[test])
        {
            string path = Path.Combine(folder, file);
            string? failure = Extension(file) == "png"
                ? ConvGen.Tests.Snapshots.PictureSnapshot.Compare(SnapshotFolder, PictureName(test, file), Png.Decode(File.ReadAllBytes(path), path).Match(Right: image => image, Left: error => throw new InvalidOperationException(error.Message)))
                : SnapshotFile.Compare(SnapshotFolder, PictureName(test, file), Extension(file), File.ReadAllText(path));
            Assert.True(failure is null, failure);
        }
    }

    // kernels.png of the test Kernels: "SampleSnapshotTests.Kernels#kernels", extension "png".
    private static string PictureName(string test, string file) => nameof(SampleSnapshotTests) + "." + test + "#" + Path.GetFileNameWithoutExtension(file);

    private static string Extension(string file) => Path.GetExtension(file)[1..];

    private static string ProjectFolder([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!;
}
