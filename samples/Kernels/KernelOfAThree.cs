using System.Globalization;
using ConvGen.Data;
using ConvGen.Plotting;
using ConvGen.Kernels;
using ConvGen.Signal;
using ConvGen.Training;

namespace ConvGen.Samples.Kernels;

/// <summary>
/// Notebook 003's demonstration that a kernel learns what it looks for: a Conv2d whose single 8x8 kernel covers the
/// whole 8x8 digit, trained with Adam and BCE-with-logits to fire on every 3. After each epoch the kernel is drawn;
/// the strip of drawings shows a 3 emerging. (The notebook's BCE target is the label 3 itself; a probability target
/// must lie in [0, 1], so this uses 1 — the gradient points the same way.)
/// </summary>
public static class KernelOfAThree
{
    private const int Side = 8;

    /// <summary>Trains for <paramref name="epochs"/> epochs, writes <c>kernels.png</c> into <paramref name="folder"/> and returns its path.</summary>
    public static string Run(TextWriter output, string folder, int epochs = 10, int seed = 0)
    {
        Dataset digits = DigitsData.LoadEmbedded();
        int[] threes = Enumerable.Range(0, digits.Count).Where(i => digits.Labels[i] == 3).ToArray();
        Dataset data = digits.Select(threes, "the 3s of the digits");
        output.WriteLine($"training one {Side}x{Side} kernel on {data.Count} images of the digit 3");

        var geometry = new Conv2dGeometry(1, Side, Side, 1, 1, 1, Side, Side, 1, 1, 0, 0);
        float[] parameters = new float[geometry.WeightSize + 1]; // the kernel, then its bias
        Initializers.DefaultWeight(parameters.AsSpan(0, geometry.WeightSize), fanIn: geometry.ColumnRows, (ulong)seed, stream: 0);
        Initializers.DefaultBias(parameters.AsSpan(geometry.WeightSize), fanIn: geometry.ColumnRows, (ulong)seed, stream: 1);
        var optimizer = new Adam(LearningRate: 0.001f);
        OptimizerState state = optimizer.CreateState(parameters.Length);
        float[] gradients = new float[parameters.Length], logit = new float[1];
        Matrix averageThree = Average(data);

        var drawings = new List<Matrix> { Kernel(parameters) };
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "before training: resemblance to the average 3 (cosine) {0:F3}", Cosine(drawings[0], averageThree)));
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double lossSum = 0;
            for (int i = 0; i < data.Count; i++)
            {
                ReadOnlySpan<float> image = data.Images.Slice(i * data.SampleSize, data.SampleSize);
                Convolution.Forward(image, parameters.AsSpan(0, geometry.WeightSize), parameters.AsSpan(geometry.WeightSize), logit, 1, geometry);
                float probability = 1f / (1f + MathF.Exp(-logit[0]));
                lossSum += Softplus(-logit[0]); // BCE-with-logits against target 1
                float[] logitGradient = [probability - 1f];
                Convolution.BackwardWeight(image, logitGradient, gradients.AsSpan(0, geometry.WeightSize), gradients.AsSpan(geometry.WeightSize), 1, geometry);
                optimizer.Update(parameters, gradients, state);
            }

            drawings.Add(Kernel(parameters));
            output.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "epoch {0,2}: mean loss {1:F4}, resemblance to the average 3 (cosine) {2:F3}",
                epoch, lossSum / data.Count, Cosine(drawings[^1], averageThree)));
        }

        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "kernels.png");
        LabelledPanel[] panels = drawings.Select((kernel, index) => new LabelledPanel(index == 0 ? "before" : $"epoch {index}", kernel)).ToArray();
        ImageGrid.SavePng(path, $"The {Side}x{Side} kernel before training and after each epoch", panels, columns: panels.Length);
        output.WriteLine($"kernels before training and after each epoch: {Path.GetFileName(path)}");
        return path;
    }

    private static Matrix Kernel(float[] parameters) => Matrix.Create(Side, Side, parameters.AsSpan(0, Side * Side));

    private static Matrix Average(Dataset data) =>
        Matrix.Generate(Side, Side, (row, column) =>
        {
            float sum = 0;
            for (int i = 0; i < data.Count; i++)
            {
                sum += data.Images[i * data.SampleSize + row * Side + column];
            }

            return sum / data.Count;
        });

    private static double Cosine(Matrix a, Matrix b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Values.Length; i++)
        {
            dot += a.Values[i] * b.Values[i];
            aa += a.Values[i] * a.Values[i];
            bb += b.Values[i] * b.Values[i];
        }

        return dot / Math.Sqrt(aa * bb);
    }

    // log(1 + e^x) without overflow: the BCE-with-logits loss of a positive example is softplus(-logit).
    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
}
