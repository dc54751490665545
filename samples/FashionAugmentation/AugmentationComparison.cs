using System.Globalization;
using ConvGen.Data;
using ConvGen.Imaging;
using ConvGen.Signal;
using ConvGen.Terminal;
using ConvGen.Training;
using LanguageExt;

namespace ConvGen.Samples.FashionAugmentation;

/// <summary>
/// Trains <see cref="FashionNet"/> twice from the same start on the same few training images, once on the images as
/// they are and once through an augmentation pipeline, both normalised alike, and prints the test accuracy of each
/// epoch side by side, showing each run's progress on a <see cref="TrainingDisplay"/>. Each run also writes its
/// metrics log (one CSV row per epoch) into a folder.
/// </summary>
public static class AugmentationComparison
{
    /// <summary>Fashion-MNIST's pixel mean and standard deviation (torchvision's usual figures).</summary>
    private static readonly Normalize FashionMnistNormalize = new(0.2860f, 0.3530f);

    /// <summary>The pipeline of the augmented run: a shift of up to 2 pixels each way, a mirror half the time, then normalisation.</summary>
    public static readonly Augmentation Augmented = new(new RandomCrop(2), new RandomHorizontalFlip(), FashionMnistNormalize);

    /// <summary>The plain run's pipeline: normalisation only.</summary>
    public static readonly Augmentation Plain = new(FashionMnistNormalize);

    /// <summary>One run's outcome: the test loss and accuracy after each epoch and the last epoch's training accuracy.</summary>
    public sealed record Outcome(string Name, IReadOnlyList<float> TestLoss, IReadOnlyList<float> TestAccuracy, float TrainAccuracy);

    /// <summary>
    /// Trains both runs on <paramref name="train"/>, showing their progress on <paramref name="display"/> and testing on
    /// <paramref name="test"/> after every epoch; writes <c>plain.csv</c> and <c>augmented.csv</c> into <paramref name="metricsFolder"/>.
    /// </summary>
    public static (Outcome Plain, Outcome Augmented) Run(TextWriter output, TrainingDisplay display, Dataset train, Dataset test, int epochs, string metricsFolder, int seed = 1)
    {
        var options = new TrainingOptions(epochs, BatchSize: 32, new Adam(2e-3f), seed);
        output.WriteLine($"training FashionNet ({FashionNet.Layout.ParameterCount:N0} parameters) on {train.Count} images, testing on {test.Count}; {epochs} epochs, Adam(0.002), batch 32, seed {seed}");
        output.WriteLine("augmented: RandomCrop(2), RandomHorizontalFlip(), Normalize(0.2860, 0.3530)");
        output.WriteLine("plain: Normalize(0.2860, 0.3530)");
        Directory.CreateDirectory(metricsFolder);
        // The test images take only the fixed part of the pipeline: the normalisation both runs share.
        Dataset normalizedTest = Value(Augmented.ForEvaluation(test));
        Outcome plain = Train(output, display, "plain", train, normalizedTest, options with { Augmentation = Plain }, Path.Combine(metricsFolder, "plain.csv"));
        Outcome augmented = Train(output, display, "augmented", train, normalizedTest, options with { Augmentation = Augmented }, Path.Combine(metricsFolder, "augmented.csv"));

        output.WriteLine();
        output.WriteLine($"{"",5}  {"plain",-24} augmented");
        output.WriteLine($"{"epoch",5}  {"test loss",10} {"accuracy",13} {"test loss",10} {"accuracy",13}");
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            output.WriteLine(string.Format(
                CultureInfo.InvariantCulture, "{0,5}  {1,10:F4} {2,13:P2} {3,10:F4} {4,13:P2}",
                epoch + 1, plain.TestLoss[epoch], plain.TestAccuracy[epoch], augmented.TestLoss[epoch], augmented.TestAccuracy[epoch]));
        }

        output.WriteLine();
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "last epoch, training accuracy: plain {0:P2}, augmented {1:P2} (on the augmented images)", plain.TrainAccuracy, augmented.TrainAccuracy));
        output.WriteLine($"metrics logs: {Path.Combine(metricsFolder, "plain.csv")}, {Path.Combine(metricsFolder, "augmented.csv")}");
        return (plain, augmented);
    }

    /// <summary>
    /// Draws the first <paramref name="images"/> training images (rows) as they are and as the augmented run trains on
    /// them in epochs 1 to <paramref name="epochs"/> (columns, from <see cref="ConvGen.Data.Augmentation.ApplyTo"/>), as a PNG.
    /// </summary>
    public static void DrawAugmentedSamples(Dataset train, string path, int images = 6, int epochs = 5, int seed = 1)
    {
        Dataset first = train.Select([.. Enumerable.Range(0, images)]);
        Dataset[] columns = [first, .. Enumerable.Range(1, epochs).Select(epoch => Value(Augmented.ApplyTo(first, seed, epoch)))];
        var panels = new List<Matrix>();
        for (int image = 0; image < images; image++)
        {
            panels.AddRange(columns.Select(column => Matrix.Create(column.Height, column.Width, column.Images.Slice(image * column.SampleSize, column.SampleSize))));
        }

        Png.Save(Heatmap.Grid(panels, columns: columns.Length, scale: 3, gap: 3), path);
    }

    private static Outcome Train(TextWriter output, TrainingDisplay display, string name, Dataset train, Dataset test, TrainingOptions options, string metricsPath)
    {
        output.WriteLine();
        output.WriteLine($"## {name}");
        // The log writes each epoch's row, then passes the event on to the display.
        TrainingResult<FashionNet> result = display.Show(progress =>
        {
            using MetricsLog log = Value(MetricsLog.Create(metricsPath, next: progress));
            return Value(Trainer.Fit(FashionNet.Initialize(options.Seed), train, options, validation: test, progress: log));
        });
        return new Outcome(
            name, [.. result.History.Select(epoch => epoch.ValidationLoss ?? float.NaN)], [.. result.History.Select(epoch => epoch.ValidationAccuracy ?? float.NaN)],
            result.History[^1].TrainAccuracy);
    }

    private static T Value<T>(Either<ConvGenError, T> value) =>
        value.Match(Right: result => result, Left: error => throw new InvalidOperationException(error.Message));
}
