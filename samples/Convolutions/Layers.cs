using ConvGen.Kernels;
using ConvGen.Signal;
using ConvGen.Shapes;

namespace ConvGen.Samples.Convolutions;

/// <summary>
/// The CNN kernels on one sample of small matrices, as the notebook calls <c>nn.Conv2d</c> and <c>nn.MaxPool2d</c>
/// on a single image: channels in, channels out, no batch to think about.
/// </summary>
public static class Layers
{
    /// <summary>
    /// <c>nn.Conv2d</c> without bias on one sample: <paramref name="kernels"/>[o][i] is the kernel from input channel i
    /// to output channel o.
    /// </summary>
    public static Matrix[] Convolve(Matrix[] inputs, Matrix[][] kernels, int stride = 1, int padding = 0) =>
        Convolve(inputs, kernels, (stride, stride), (padding, padding));

    /// <summary>As <see cref="Convolve(Matrix[], Matrix[][], int, int)"/> with stride and padding per axis (height, width).</summary>
    public static Matrix[] Convolve(Matrix[] inputs, Matrix[][] kernels, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        Matrix first = kernels[0][0];
        int height = OutputSize.Convolution(inputs[0].Rows, first.Rows, stride.Height, padding.Height);
        int width = OutputSize.Convolution(inputs[0].Columns, first.Columns, stride.Width, padding.Width);
        var geometry = new Conv2dGeometry(
            inputs.Length, inputs[0].Rows, inputs[0].Columns, kernels.Length, height, width,
            first.Rows, first.Columns, stride.Height, stride.Width, padding.Height, padding.Width);
        float[] weight = kernels.SelectMany(perOutput => perOutput.SelectMany(kernel => kernel.Values.ToArray())).ToArray();
        float[] output = new float[geometry.OutputSize];
        Convolution.Forward(Stack(inputs), weight, default, output, batch: 1, geometry);
        return Split(output, kernels.Length, height, width);
    }

    /// <summary><c>nn.MaxPool2d</c> or <c>nn.AvgPool2d</c> on every channel of one sample.</summary>
    public static Matrix[] Pool(Matrix[] inputs, int kernel, bool max, int? stride = null, int padding = 0)
    {
        int step = stride ?? kernel;
        int height = OutputSize.Pooling(inputs[0].Rows, kernel, step, padding);
        int width = OutputSize.Pooling(inputs[0].Columns, kernel, step, padding);
        var geometry = new PoolGeometry(inputs[0].Rows, inputs[0].Columns, height, width, kernel, kernel, step, step, padding, padding);
        float[] output = new float[inputs.Length * height * width];
        if (max)
        {
            Pooling.MaxForward(Stack(inputs), output, new int[output.Length], inputs.Length, geometry);
        }
        else
        {
            Pooling.AverageForward(Stack(inputs), output, inputs.Length, geometry);
        }

        return Split(output, inputs.Length, height, width);
    }

    private static float[] Stack(Matrix[] channels) => channels.SelectMany(channel => channel.Values.ToArray()).ToArray();

    private static Matrix[] Split(float[] values, int channels, int height, int width) =>
        Enumerable.Range(0, channels).Select(c => Matrix.Create(height, width, values.AsSpan(c * height * width, height * width))).ToArray();
}
