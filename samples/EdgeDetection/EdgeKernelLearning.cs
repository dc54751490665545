using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Signal;

namespace ConvGen.Samples.EdgeDetection;

/// <summary>
/// Notebook 004's experiment: a 1x2 kernel, randomly initialised, learns from an image and its edges alone to become
/// the edge detector [1, -1] — squared error summed over the output, plain gradient descent, no framework magic.
/// </summary>
public static class EdgeKernelLearning
{
    private const float LearningRate = 3e-2f;

    /// <summary>Trains for <paramref name="steps"/> steps, reporting every second one; returns the learned kernel.</summary>
    public static Matrix Run(TextWriter output, int steps = 15, int seed = 0)
    {
        // The notebook's image: white (1) with a black band in columns 2..5, and its edges under [1, -1].
        Matrix image = Matrix.Generate(6, 8, (_, column) => column is >= 2 and < 6 ? 0f : 1f);
        Matrix edges = SignalConvolution.Correlate2d(image, Matrix.FromRows([1, -1]), ConvolutionMode.Valid);
        var geometry = new Conv2dGeometry(1, 6, 8, 1, 6, 7, KernelHeight: 1, KernelWidth: 2, 1, 1, 0, 0);

        float[] kernel = new float[2];
        Initializers.DefaultWeight(kernel, fanIn: 2, (ulong)seed, stream: 0);
        output.WriteLine("initial kernel: " + Matrix.Create(1, 2, kernel));
        float[] predicted = new float[geometry.OutputSize], gradient = new float[geometry.OutputSize], kernelGradient = new float[2];
        for (int step = 1; step <= steps; step++)
        {
            Convolution.Forward(image.Values, kernel, default, predicted, batch: 1, geometry);
            double loss = 0;
            for (int i = 0; i < predicted.Length; i++)
            {
                float error = predicted[i] - edges.Values[i];
                loss += error * error;
                gradient[i] = 2 * error; // d(sum of squares)/d(prediction)
            }

            Convolution.BackwardWeight(image.Values, gradient, kernelGradient, default, batch: 1, geometry);
            kernel[0] -= LearningRate * kernelGradient[0];
            kernel[1] -= LearningRate * kernelGradient[1];
            if (step % 2 == 0)
            {
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "batch {0}, loss {1:F3}", step, loss));
            }
        }

        Matrix learned = Matrix.Create(1, 2, kernel);
        output.WriteLine("learned kernel: " + learned);
        return learned;
    }
}
