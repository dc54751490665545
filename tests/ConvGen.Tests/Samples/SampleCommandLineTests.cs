using System.Reflection;
using System.Text.RegularExpressions;
using ConvGen.Samples.Convolutions;
using ConvGen.Samples.Digits;
using ConvGen.Samples.EdgeDetection;
using ConvGen.Samples.FashionAugmentation;
using ConvGen.Samples.Kernels;
using ConvGen.Samples.Mnist;
using ConvGen.Samples.PaddingAndStride;
using ConvGen.Samples.ResNet;

namespace ConvGen.Tests.Samples;

/// <summary>
/// Every sample's command line as a user meets it, in a child process started in an empty temporary folder: <c>--help</c>
/// lists the options, a bad argument is one line on stderr and exit code 2 with no trace, and the data beside the
/// repository is found from the program's location, not the current folder. (DigitsPredict and OnnxExport, which
/// bring SkiaSharp 4 and ONNX Runtime, are checked the same way in their own test projects.)
/// </summary>
public sealed partial class SampleCommandLineTests
{
    public static TheoryData<string, string[]> Samples => new()
    {
        { Sample(typeof(ConvolutionsTour)), [] },
        { Sample(typeof(EdgeKernelLearning)), [] },
        { Sample(typeof(DigitsTraining)), ["--epochs", "--seed", "--pictures"] },
        { Sample(typeof(KernelsSample)), ["--pictures", "--data", "--epochs"] },
        { Sample(typeof(Comparison)), ["--data", "--epochs"] },
        { Sample(typeof(AugmentationComparison)), ["--data", "--images", "--epochs", "--metrics", "--pictures"] },
        { Sample(typeof(ResNetComparison)), ["--data", "--epochs", "--batch-size", "--images", "--test-images", "--no-augmentation", "--pictures", "--no-baseline"] },
        { Sample(typeof(MnistNet)), ["--data", "--dataset", "--epochs", "--batch-size", "--learning-rate", "--seed", "--checkpoints", "--limit", "--l2-penalty"] },
    };

    public static TheoryData<string> Trainers => new() { Sample(typeof(DigitsTraining)), Sample(typeof(KernelsSample)), Sample(typeof(Comparison)), Sample(typeof(AugmentationComparison)), Sample(typeof(ResNetComparison)) };

    [Theory]
    [MemberData(nameof(Samples))]
    public void HelpListsTheOptions(string sample, string[] options)
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, sample, "--help");

        Assert.True(exit == 0, output + error);
        Assert.Equal("", error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.All(options.Append("--help"), option => Assert.Matches(@"(?m)^\s+(\S+, )*" + Regex.Escape(option) + @"\b", output));
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public void ANonNumberOfEpochsIsOneLineAndExitCodeTwo(string sample)
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, sample, "--epochs", "three");

        Assert.Equal(2, exit);
        Assert.Equal("error: --epochs takes a whole number, got 'three'. (--help lists the options)\n", error.ReplaceLineEndings("\n"));
        Assert.Equal("", output);
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public void NoEpochsAtAllIsRefusedTheSameWay(string sample)
    {
        using var work = new TemporaryFolder();

        (int exit, _, string error) = Run(work, sample, "--epochs", "0");

        Assert.Equal((2, "error: --epochs must be at least 1, got 0. (--help lists the options)"), (exit, error.Trim()));
    }

    [Theory]
    [InlineData(typeof(ConvolutionsTour), "--epochs")]
    [InlineData(typeof(EdgeKernelLearning), "--epochs")]
    [InlineData(typeof(ResNetComparison), "--learning-rate")]
    public void AnUnknownOptionIsRefusedInOneLine(Type sampleType, string option)
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, Sample(sampleType), option, "3");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: Unrecognized command or argument '{option}'. (--help lists the options)", error.Trim());
    }

    [Fact]
    public void MnistRefusesANonNumberInOneLine()
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, Sample(typeof(MnistNet)), "--epochs", "three");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: Cannot parse argument 'three' for option '--epochs'", error, StringComparison.Ordinal);
        Robustness.MnistCommandLineTests.AssertNoTraceAndNoCheckpoint(work, error);
    }

    [Theory]
    [InlineData(typeof(KernelsSample))]
    [InlineData(typeof(Comparison))]
    [InlineData(typeof(AugmentationComparison))]
    [InlineData(typeof(ResNetComparison))]
    public void TheDefaultDataFolderIsTheSharedOneBesideTheRepository(Type sampleType)
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, Sample(sampleType), "--help");

        Assert.True(exit == 0, output + error);
        Assert.Contains($"[default: {SharedData.Folder("fashion-mnist")}]", output.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void KernelsFindsFashionMnistFromAnyFolderAndPrintsPlainProgressWhenRedirected()
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, Sample(typeof(KernelsSample)), "--epochs", "1", "--pictures", work.File("pictures"));

        Assert.True(exit == 0, output + error);
        Assert.Contains("1000 training and 1000 validation images of Fashion-MNIST", output, StringComparison.Ordinal);
        // Redirected, the training display writes a plain line, not a live table.
        Assert.Matches(@"(?m)^epoch 1/1: loss \d\.\d{4}, accuracy \d+\.\d\d%, validation loss \d\.\d{4}, validation accuracy \d+\.\d\d%, learning rate 0\.003, [\d,]+ images/s, \d+\.\d s$", output);
        Assert.DoesNotContain("╭", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(work.File("pictures"), "feature-maps.png")), "part 2 drew no feature maps");
    }

    [Fact]
    public void FashionAugmentationRefusesNoTrainingImagesTheSameWay()
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, Sample(typeof(AugmentationComparison)), "--images", "0");

        Assert.Equal((2, "", "error: --images must be at least 1, got 0. (--help lists the options)"), (exit, output, error.Trim()));
    }

    [Theory]
    [InlineData(typeof(AugmentationComparison), new[] { "../shared/data/fashion-mnist", "2000", "30" })]
    [InlineData(typeof(ResNetComparison), new[] { "../shared/data/fashion-mnist", "10", "--no-baseline" })]
    public void OldPositionalArgumentsAreRefusedInOneLine(Type sampleType, string[] arguments)
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, Sample(sampleType), arguments);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("error: Unrecognized command or argument '../shared/data/fashion-mnist'. (--help lists the options)", error.Trim());
    }

    [Fact]
    public void FashionAugmentationFindsFashionMnistFromAnyFolderAndPrintsPlainProgressWhenRedirected()
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, Sample(typeof(AugmentationComparison)), "--images", "64", "--epochs", "1");

        Assert.True(exit == 0, output + error);
        Assert.Contains("on 64 images, testing on 10000; 1 epochs", output, StringComparison.Ordinal);
        // Redirected, the training display writes a plain line per epoch of each run, not a live table.
        Assert.Equal(2, Regex.Matches(output, @"(?m)^epoch 1/1: loss \d\.\d{4}, accuracy \d+\.\d\d%, validation loss \d\.\d{4}, validation accuracy \d+\.\d\d%, learning rate 0\.002, [\d,]+ images/s, \d+\.\d s$").Count);
        Assert.DoesNotContain("╭", output, StringComparison.Ordinal);
        // The default output folders, relative to the current folder.
        Assert.All(new[] { "metrics/plain.csv", "metrics/augmented.csv", "pictures/augmented-samples.png" }, file => Assert.True(File.Exists(work.File(file)), file + " is missing"));
    }

    [Theory]
    [InlineData("--batch-size")]
    [InlineData("--images")]
    [InlineData("--test-images")]
    public void ResNetRefusesZeroImagesTheSameWay(string option)
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(work, Sample(typeof(ResNetComparison)), option, "0");

        Assert.Equal((2, "", $"error: {option} must be at least 1, got 0. (--help lists the options)"), (exit, output, error.Trim()));
    }

    [Fact]
    public void ResNetFindsFashionMnistFromAnyFolderAndPrintsPlainProgressWhenRedirected()
    {
        using var work = new TemporaryFolder();

        (int exit, string output, string error) = Run(
            work, Sample(typeof(ResNetComparison)), "--images", "64", "--test-images", "32", "--epochs", "1", "--batch-size", "32", "--no-baseline");

        Assert.True(exit == 0, output + error);
        Assert.Contains("Total parameters: 174,970", output, StringComparison.Ordinal);
        // Redirected, the training display writes a plain line per epoch, not a live table; --no-baseline trains the ResNet only.
        Assert.Single(Regex.Matches(output, @"(?m)^epoch 1/1: loss \d\.\d{4}, accuracy \d+\.\d\d%, validation loss \d\.\d{4}, validation accuracy \d+\.\d\d%, learning rate [\d.]+, [\d,]+ images/s, \d+\.\d s$"));
        Assert.DoesNotContain("╭", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^FashionResNet +174,970 +\d+\.\d\d% +\d+\.\d s$", output);
        Assert.DoesNotContain("MnistNet", output, StringComparison.Ordinal);
        // The accuracy chart goes to ./pictures by default, with the one network's curves.
        string chart = File.ReadAllText(work.File(Path.Combine("pictures", ResNetComparison.ChartFile)));
        Assert.Contains("FashionResNet, validation", chart, StringComparison.Ordinal);
        Assert.DoesNotContain("MnistNet", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void MnistWithoutDataUsesTheSharedFolderNotADownload()
    {
        using var work = new TemporaryFolder();
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = work.File("cache") };

        (int exit, string output, string error) = ChildProcess.Dotnet(
            work.Path, environment, Sample(typeof(MnistNet)), "--epochs", "1", "--limit", "64", "--checkpoints", work.File("checkpoints"));

        Assert.True(exit == 0, output + error);
        Assert.Matches(@"(?m)^test accuracy: \d+\.\d\d%$", output);
        Assert.False(Directory.Exists(work.File("cache")), "the run downloaded into the cache instead of reading shared/data/mnist");
    }

    private static (int Exit, string Output, string Error) Run(TemporaryFolder work, string sample, params string[] arguments) =>
        ChildProcess.Dotnet(work.Path, [sample, .. arguments]);

    // The sample's program, as built beside the tests.
    private static string Sample(Type type) => type.Assembly.Location;
}
