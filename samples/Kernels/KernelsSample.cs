using ConvGen.Terminal;

namespace ConvGen.Samples.Kernels;

/// <summary>
/// The whole of notebook 003: part 1 needs nothing but the embedded digits; part 2 needs Fashion-MNIST and says so
/// plainly, after part 1, when its folder is not there.
/// </summary>
public static class KernelsSample
{
    /// <summary>Runs both parts, writing pictures into <paramref name="picturesFolder"/> and part 2's progress to <paramref name="display"/>; returns the process exit code.</summary>
    public static int Run(TextWriter output, TextWriter error, TrainingDisplay display, string picturesFolder, string fashionMnistFolder, int images = FashionExercise.NotebookImages, int epochs = 10)
    {
        output.WriteLine("# Part 1: one 8x8 kernel learns to look like a 3");
        KernelOfAThree.Run(output, picturesFolder);
        output.WriteLine();
        output.WriteLine("# Part 2: the exercise network on Fashion-MNIST");
        if (!Directory.Exists(fashionMnistFolder))
        {
            output.WriteLine($"skipped: no Fashion-MNIST folder at {Path.GetFullPath(fashionMnistFolder)}.");
            output.WriteLine("Give the folder holding its four IDX files with --data DIR.");
            return 0;
        }

        return FashionExercise.Load(fashionMnistFolder, images).Match(
            Right: data =>
            {
                FashionExercise.Run(output, display, data.Train, data.Validation, picturesFolder, epochs);
                return 0;
            },
            Left: failure =>
            {
                error.WriteLine("error: " + failure.Message);
                return 1;
            });
    }
}
