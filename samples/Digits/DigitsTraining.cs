using System.Globalization;
using ConvGen.Data;
using ConvGen.Plotting;
using ConvGen.Terminal;
using ConvGen.Training;

namespace ConvGen.Samples.Digits;

/// <summary>The digits run: a seeded 80/20 split of the embedded data, Adam, and the test accuracy at the end.</summary>
public static class DigitsTraining
{
    /// <summary>
    /// Trains and evaluates, writing what it does to <paramref name="output"/>, its progress to <paramref name="display"/>
    /// and, when <paramref name="chartPath"/> is given, the training curves there as SVG; returns the test accuracy in [0, 1].
    /// </summary>
    public static float Run(TextWriter output, TrainingDisplay display, int epochs = 30, int seed = 7, string? chartPath = null)
    {
        Dataset all = DigitsData.LoadEmbedded();
        (Dataset train, Dataset test) = all.Split(0.8, seed);
        output.WriteLine($"data: {all.Count} images of {all.SampleShapeText}; train {train.Count}, test {test.Count} (seed {seed})");
        output.WriteLine(DigitsNet.Summary());
        output.WriteLine();

        TrainingResult<DigitsNet> result = display.Show(progress => Train(train, test, epochs, seed, progress));

        if (chartPath is not null)
        {
            SaveChart(chartPath, "DigitsNet on the 8x8 digits (test set as validation)", result.History);
            output.WriteLine($"training curves: {chartPath}");
        }

        EvaluationResult final = Evaluation.Evaluate(result.Model, test);
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "test accuracy: {0:F2}%", final.Accuracy * 100));
        return final.Accuracy;
    }

    /// <summary>The run's training: Adam at 2e-3, batches of 32, <paramref name="test"/> as validation, progress to <paramref name="progress"/>.</summary>
    public static TrainingResult<DigitsNet> Train(Dataset train, Dataset test, int epochs, int seed, IProgress<TrainingEvent>? progress = null)
    {
        var options = new TrainingOptions(Epochs: epochs, BatchSize: 32, Optimizer: new Adam(LearningRate: 2e-3f), Seed: seed);
        return Trainer.Fit(DigitsNet.Initialize(seed), train, options, validation: test, progress).Match(
            Right: trained => trained,
            Left: error => throw new InvalidOperationException(error.Message));
    }

    // PNG or SVG by the file's extension.
    private static void SaveChart(string path, string title, IReadOnlyList<EpochMetrics> history)
    {
        if (Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase))
        {
            TrainingChart.SavePng(path, title, history);
        }
        else
        {
            TrainingChart.SaveSvg(path, title, history);
        }
    }
}
