using System.Globalization;
using ConvGen.Data;
using ConvGen.Terminal;
using ConvGen.Training;

namespace ConvGen.Samples.PaddingAndStride;

/// <summary>
/// Trains the four networks of notebook 001 on the same data with the same settings (Adam, learning rate 0.005,
/// batch 512, as the notebook) and prints their compile-time summaries and a side-by-side table of test results.
/// </summary>
public static class Comparison
{
    /// <summary>One network's outcome.</summary>
    public sealed record Row(string Network, int Parameters, float TestLoss, float TestAccuracy);

    /// <summary>Runs all four on <paramref name="train"/>, showing their progress on <paramref name="display"/>, and evaluates on <paramref name="test"/>.</summary>
    public static IReadOnlyList<Row> Run(TextWriter output, TrainingDisplay display, Dataset train, Dataset test, int epochs, int seed = 1)
    {
        var options = new TrainingOptions(epochs, BatchSize: 512, new Adam(0.005f), seed);
        output.WriteLine($"training on {train.Count} images, testing on {test.Count}; {epochs} epoch(s), Adam(0.005), batch 512, seed {seed}");
        Row[] rows =
        [
            Train<BasicConvNet>(output, display, train, test, options),
            Train<ConvNetPadding>(output, display, train, test, options),
            Train<ConvNetDeeperPadding>(output, display, train, test, options),
            Train<ConvNetPaddingStride>(output, display, train, test, options),
        ];

        output.WriteLine();
        output.WriteLine($"{"network",-22} {"parameters",10} {"test loss",10} {"test accuracy",14}");
        foreach (Row row in rows)
        {
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-22} {1,10:N0} {2,10:F4} {3,14:P2}", row.Network, row.Parameters, row.TestLoss, row.TestAccuracy));
        }

        return rows;
    }

    private static Row Train<TNet>(TextWriter output, TrainingDisplay display, Dataset train, Dataset test, TrainingOptions options)
        where TNet : class, INetwork<TNet>
    {
        NetworkLayout layout = TNet.Layout;
        output.WriteLine();
        output.WriteLine("## " + layout.NetworkName);
        output.WriteLine(layout.Summary);
        TNet trained = display.Show(progress => Trainer.Fit(TNet.Initialize(options.Seed), train, options, validation: null, progress)).Match(
            Right: result => result.Model,
            Left: error => throw new InvalidOperationException(error.Message));
        EvaluationResult result = Evaluation.Evaluate(trained, test);
        return new Row(layout.NetworkName, layout.ParameterCount, result.Loss, result.Accuracy);
    }
}
