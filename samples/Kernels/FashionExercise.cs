using System.Globalization;
using ConvGen.Data;
using ConvGen.Plotting;
using ConvGen.Terminal;
using ConvGen.Training;
using LanguageExt;

namespace ConvGen.Samples.Kernels;

/// <summary>
/// Notebook 003's second part: the exercise network (<see cref="ExerciseNet"/>) trained on the first 1000 Fashion-MNIST
/// training images and validated on the first 1000 test images, as the notebook does, with loss and accuracy per
/// epoch, the curves as SVG and the first layer's feature maps of one validation image as PNG.
/// </summary>
public static class FashionExercise
{
    /// <summary>Images per set: "we will just train on the first 1000".</summary>
    public const int NotebookImages = 1000;

    // The notebook warns that settings decide whether this network learns at all: with these, from seed 1, ten
    // epochs reach about 75% validation accuracy.
    private const float LearningRate = 3e-3f;
    private const int BatchSize = 32;

    // Fashion-MNIST's labels 0 to 9.
    private static readonly string[] ClassNames = ["T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

    /// <summary>The first <paramref name="images"/> training and test images of the Fashion-MNIST in <paramref name="folder"/>.</summary>
    public static Either<ConvGenError, (Dataset Train, Dataset Validation)> Load(string folder, int images = NotebookImages) =>
        IdxDataset.Load(folder, DatasetSource.FashionMnist).Map(data => (First(data.Train, images), First(data.Test, images)));

    /// <summary>Trains, showing each epoch on <paramref name="display"/>, and writes <c>exercise-training.svg</c> and <c>feature-maps.png</c> into <paramref name="folder"/>.</summary>
    public static ExerciseNet Run(TextWriter output, TrainingDisplay display, Dataset train, Dataset validation, string folder, int epochs = 10, int seed = 1)
    {
        var options = new TrainingOptions(epochs, BatchSize, new Adam(LearningRate), seed);
        output.WriteLine($"{train.Count} training and {validation.Count} validation images of Fashion-MNIST (as shared here: not the official split)");
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} epoch(s), Adam({1}), batch {2}, seed {3}", epochs, LearningRate, BatchSize, seed));
        output.WriteLine(ExerciseNet.Summary());
        output.WriteLine();
        TrainingResult<ExerciseNet> result = display.Show(progress => Trainer.Fit(ExerciseNet.Initialize(seed), train, options, validation, progress)).Match(
            Right: trained => trained,
            Left: error => throw new InvalidOperationException(error.Message));

        Directory.CreateDirectory(folder);
        // Loss on its own axis, accuracy in percent on the other: training and validation side by side, on one scale each.
        TrainingChart.SaveSvg(Path.Combine(folder, "exercise-training.svg"), $"Notebook 003's exercise network, {train.Count} Fashion-MNIST images", result.History);
        output.WriteLine("training and validation curves: exercise-training.svg");

        string label = ClassNames[validation.Labels[0]];
        ImageGrid.SavePng(Path.Combine(folder, "feature-maps.png"), "What conv1's 16 kernels make of a validation image (each map on its own scale)",
            FeatureMaps.Panels(result.Model, validation.Images[..validation.SampleSize], $"input: {label}"), FeatureMaps.Columns);
        output.WriteLine($"validation image 0 (label {validation.Labels[0]}, {ClassNames[validation.Labels[0]]}) and conv1's 16 feature maps of it: feature-maps.png");
        return result.Model;
    }

    private static Dataset First(Dataset data, int count) => data.Select(Enumerable.Range(0, Math.Min(count, data.Count)).ToArray());
}
