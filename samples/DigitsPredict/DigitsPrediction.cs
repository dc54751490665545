using System.Globalization;
using ConvGen.Data;
using ConvGen.Imaging.Skia;
using ConvGen.Terminal;
using ConvGen.Training;

using ConvGen.Samples.Digits;

namespace ConvGen.Samples.DigitsPredict;

/// <summary>
/// The predict sample: trains as samples/Digits does (the sample keeps no checkpoint), then reads an image file
/// (dark ink on light paper, any size, PNG or JPEG...) and prints the predicted digit and every class's probability.
/// </summary>
public static class DigitsPrediction
{
    /// <summary>
    /// The embedded digits are levels 0..16 scaled to [0, 1], ink bright on a black background: an 8x8 greyscale
    /// input in [0, 1], inverted so that dark ink reads as 1.
    /// </summary>
    public static readonly ImageInputOptions Input = ImageInputOptions.Greyscale(DigitsData.Side, DigitsData.Side) with { Invert = true };

    /// <summary>Prints the prediction for <paramref name="imagePath"/>, the training's progress on <paramref name="display"/>; returns the process exit code (1 when the image cannot be read).</summary>
    public static int Run(TextWriter output, TextWriter errors, TrainingDisplay display, string imagePath, int epochs = 30, int seed = 7)
    {
        // Read the image first: a bad file should not cost a training run.
        return ImageInput.Load(imagePath, Input).Match(
            Right: input =>
            {
                (Dataset train, Dataset test) = DigitsData.LoadEmbedded().Split(0.8, seed);
                output.WriteLine($"training DigitsNet for {epochs} epochs on {train.Count} embedded digits (seed {seed})...");
                DigitsNet model = display.Show(progress => DigitsTraining.Train(train, test, epochs, seed, progress)).Model;
                float[] probabilities = Softmax(model.Predict(input, 1));
                int predicted = Inference.ArgMax(probabilities);
                output.WriteLine($"image: {imagePath}");
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "predicted: {0} ({1:P1})", predicted, probabilities[predicted]));
                for (int digit = 0; digit < probabilities.Length; digit++)
                {
                    output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0}: {1:F4}", digit, probabilities[digit]));
                }

                return 0;
            },
            Left: error =>
            {
                errors.WriteLine(error.Message);
                return 1;
            });
    }

    private static float[] Softmax(float[] logits)
    {
        float largest = logits.Max();
        float[] exponentials = logits.Select(logit => MathF.Exp(logit - largest)).ToArray();
        float total = exponentials.Sum();
        return exponentials.Select(value => value / total).ToArray();
    }
}
