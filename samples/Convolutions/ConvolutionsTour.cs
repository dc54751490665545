using System.Globalization;
using ConvGen.Shapes;
using ConvGen.Signal;

namespace ConvGen.Samples.Convolutions;

/// <summary>
/// Notebooks 004 and 002, printed: every value below is one the notebooks (or NumPy and SciPy, for true convolution) print.
/// </summary>
public static class ConvolutionsTour
{
    /// <summary>Writes the whole tour to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        Matrix x = Matrix.FromRows([0, 1, 2], [3, 4, 5], [6, 7, 8]);
        Matrix k = Matrix.FromRows([0, 1], [2, 3]);

        Section(output, "Cross-correlation: what a CNN layer computes (corr2d)");
        output.WriteLine(SignalConvolution.Correlate2d(x, k, ConvolutionMode.Valid));
        output.WriteLine("The same through ConvGen's Conv2d kernel:");
        output.WriteLine(Layers.Convolve([x], [[k]])[0]);

        Section(output, "True convolution flips the kernel");
        output.WriteLine("scipy.signal.convolve2d(X, K, 'valid'):");
        output.WriteLine(SignalConvolution.Convolve2d(x, k, ConvolutionMode.Valid));
        float[] signal = [1, 2, 3], weights = [0, 1, 0.5f];
        foreach (ConvolutionMode mode in Enum.GetValues<ConvolutionMode>())
        {
            output.WriteLine($"np.convolve([1, 2, 3], [0, 1, 0.5], '{mode.ToString().ToLowerInvariant()}') = [{Join(SignalConvolution.Convolve(signal, weights, mode))}]");
        }

        Section(output, "Notebook 002: true convolution by hand, with padding and stride");
        // The notebook's conv1d and conv2d flip the kernel, zero-pad and slide; ConvGen's Conv2d kernel with the
        // flipped kernel does the same, and NumPy's and SciPy's 'same' mode agree.
        Matrix x1 = Matrix.FromRows([1, 3, 2, 4, 5, 6, 1, 3]), w1 = Matrix.FromRows([1, 0, 3, 1, 2]);
        output.WriteLine($"x = [{Join(x1.Values)}], w = [{Join(w1.Values)}]");
        output.WriteLine($"conv1d(x, w, p=2, s=1)    = [{Join(Layers.Convolve([x1], [[w1.Rotate180()]], (1, 1), (0, 2))[0].Values)}]");
        output.WriteLine($"np.convolve(x, w, 'same') = [{Join(SignalConvolution.Convolve(x1.Values, w1.Values, ConvolutionMode.Same))}]");
        output.WriteLine($"conv1d(x, w, p=2, s=2)    = [{Join(Layers.Convolve([x1], [[w1.Rotate180()]], (1, 2), (0, 2))[0].Values)}]");
        Matrix x3 = Matrix.FromRows([1, 3, 2, 4], [5, 6, 1, 3], [1, 2, 0, 2], [3, 4, 3, 2]), w3 = Matrix.FromRows([1, 0, 3], [1, 2, 1], [0, 1, 1]);
        output.WriteLine("conv2d(X, W, p=(1, 1), s=(1, 1)):");
        output.WriteLine(Layers.Convolve([x3], [[w3.Rotate180()]], padding: 1)[0]);
        output.WriteLine("scipy.signal.convolve2d(X, W, 'same'):");
        output.WriteLine(SignalConvolution.Convolve2d(x3, w3, ConvolutionMode.Same));

        Section(output, "Edge detection with the kernel [1, -1]");
        Matrix image = Matrix.Generate(6, 8, (_, column) => column is >= 2 and < 6 ? 0f : 1f);
        output.WriteLine(image);
        output.WriteLine(SignalConvolution.Correlate2d(image, Matrix.FromRows([1, -1]), ConvolutionMode.Valid));

        Section(output, "Padding and stride: output sizes for an 8x8 input");
        Shape(output, "kernel 3, padding 1", OutputSize.Convolution(8, 3, padding: 1), OutputSize.Convolution(8, 3, padding: 1));
        Shape(output, "kernel (5, 3), padding (2, 1)", OutputSize.Convolution(8, 5, padding: 2), OutputSize.Convolution(8, 3, padding: 1));
        Shape(output, "kernel 3, padding 1, stride 2", OutputSize.Convolution(8, 3, 2, 1), OutputSize.Convolution(8, 3, 2, 1));
        Shape(output, "kernel (3, 5), padding (0, 1), stride (3, 4)", OutputSize.Convolution(8, 3, 3, 0), OutputSize.Convolution(8, 5, 4, 1));

        Section(output, "Multiple input channels: one kernel per channel, summed");
        Matrix x2 = Matrix.Generate(3, 3, (row, column) => row * 3 + column + 1);
        Matrix k2 = Matrix.FromRows([1, 2], [3, 4]);
        output.WriteLine(Layers.Convolve([x, x2], [[k, k2]])[0]);

        Section(output, "Multiple output channels: K, K + 1 and K + 2 stacked");
        Matrix[][] stacked = Enumerable.Range(0, 3).Select(shift => new[] { Add(k, shift), Add(k2, shift) }).ToArray();
        foreach (Matrix channel in Layers.Convolve([x, x2], stacked))
        {
            output.WriteLine(channel);
        }

        Section(output, "A 1x1 convolution is a fully connected layer applied at every pixel");
        Matrix[] pixels = [Matrix.FromRows([1, 2], [3, 4]), Matrix.FromRows([10, 20], [30, 40])];
        Matrix[] mixed = Layers.Convolve(pixels, [[Matrix.FromRows([0.5f]), Matrix.FromRows([0.1f])], [Matrix.FromRows([-1f]), Matrix.FromRows([1f])]]);
        output.WriteLine("out0 = 0.5 in0 + 0.1 in1:");
        output.WriteLine(mixed[0]);
        output.WriteLine("out1 = -in0 + in1:");
        output.WriteLine(mixed[1]);

        Section(output, "Pooling");
        output.WriteLine("max, 2x2, stride 1:");
        output.WriteLine(Layers.Pool([x], 2, max: true, stride: 1)[0]);
        output.WriteLine("average, 2x2, stride 1:");
        output.WriteLine(Layers.Pool([x], 2, max: false, stride: 1)[0]);
        Matrix ramp = Matrix.Generate(4, 4, (row, column) => row * 4 + column);
        output.WriteLine("nn.MaxPool2d(3) on arange(16) as 4x4:");
        output.WriteLine(Layers.Pool([ramp], 3, max: true)[0]);
        output.WriteLine("nn.MaxPool2d(3, padding=1, stride=2) on both channels of cat(X, X + 1):");
        foreach (Matrix channel in Layers.Pool([ramp, Add(ramp, 1)], 3, max: true, stride: 2, padding: 1))
        {
            output.WriteLine(channel);
        }
    }

    private static string Join(ReadOnlySpan<float> values) => string.Join(", ", values.ToArray().Select(value => value.ToString(CultureInfo.InvariantCulture)));

    private static Matrix Add(Matrix matrix, float shift) => Matrix.Generate(matrix.Rows, matrix.Columns, (row, column) => matrix[row, column] + shift);

    private static void Shape(TextWriter output, string what, int height, int width) => output.WriteLine($"{what,-46} -> {height}x{width}");

    private static void Section(TextWriter output, string title)
    {
        output.WriteLine();
        output.WriteLine("## " + title);
    }
}
