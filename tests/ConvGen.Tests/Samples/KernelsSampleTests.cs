using ConvGen.Samples.Kernels;
using ConvGen.Terminal;

namespace ConvGen.Tests.Samples;

/// <summary>The Kernels sample without Fashion-MNIST: part 1 still runs, part 2 says why it does not, the run succeeds.</summary>
public sealed class KernelsSampleTests
{
    [Fact]
    public void WithoutFashionMnistPartOneRunsAndPartTwoSaysWhereItLooked()
    {
        using var work = new TemporaryFolder();
        string missing = work.File("no-fashion-mnist"), pictures = work.File("pictures");
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter();

        int exit = KernelsSample.Run(output, error, TrainingDisplay.Plain(output), pictures, missing);

        Assert.Equal((0, ""), (exit, error.ToString()));
        Assert.Contains("epoch 10: mean loss", output.ToString());
        Assert.True(File.Exists(Path.Combine(pictures, "kernels.png")), "part 1 drew no kernels.png");
        Assert.EndsWith(
            $"# Part 2: the exercise network on Fashion-MNIST\nskipped: no Fashion-MNIST folder at {missing}.\n" +
            "Give the folder holding its four IDX files with --data DIR.\n",
            output.ToString());
        Assert.False(File.Exists(Path.Combine(pictures, "feature-maps.png")), "part 2 drew feature maps without data");
    }

    [Fact]
    public void ABrokenFashionMnistFolderIsAnErrorNamingTheFile()
    {
        using var work = new TemporaryFolder();
        string data = work.File("fashion-mnist");
        Directory.CreateDirectory(data);
        var error = new StringWriter();

        int exit = KernelsSample.Run(TextWriter.Null, error, TrainingDisplay.Plain(TextWriter.Null), work.File("pictures"), data);

        Assert.Equal(1, exit);
        Assert.Equal($"error: {data}: holds neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte.", error.ToString().Trim());
    }
}
