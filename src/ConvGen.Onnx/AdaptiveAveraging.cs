using ConvGen.Shapes;
using LanguageExt;
using static ConvGen.Onnx.OnnxAttribute;

namespace ConvGen.Onnx;

/// <summary>
/// Adaptive average pooling in ONNX. When the output divides the input, every window has the same size and step: an
/// <c>AveragePool</c>. Otherwise windows differ and overlap, which no ONNX operator computes (PyTorch's exporter
/// refuses): averaging is linear per axis, so <c>Y = A_H · X · A_Wᵀ</c>, two <c>MatMul</c>s with constant matrices
/// whose row <c>i</c> holds <c>1/|window i|</c> over window <c>i</c>.
/// </summary>
internal static class AdaptiveAveraging
{
    /// <summary>Adds the nodes that pool <paramref name="input"/> (<c>N x C x H x W</c>) into <paramref name="output"/> (<c>N x C x H' x W'</c>).</summary>
    public static Unit Add(OnnxGraph graph, ArchitectureNode node, string input, string output)
    {
        int inputHeight = node.InputShape[1], inputWidth = node.InputShape[2];
        int outputHeight = node.OutputShape[1], outputWidth = node.OutputShape[2];
        if (inputHeight % outputHeight == 0 && inputWidth % outputWidth == 0)
        {
            int strideHeight = inputHeight / outputHeight, strideWidth = inputWidth / outputWidth;
            return graph.AddNode(
                "AveragePool", node.Name, [input], output,
                Ints("kernel_shape", strideHeight, strideWidth),
                Ints("strides", strideHeight, strideWidth));
        }

        // (N, C, H, W) x (W, W') -> (N, C, H, W'); then (H', H) x (N, C, H, W') -> (N, C, H', W'), broadcast over N and C.
        string columns = graph.AddInitializer($"{node.Name}.width_average", Transpose(Averaging(inputWidth, outputWidth), outputWidth, inputWidth), [inputWidth, outputWidth]);
        string rows = graph.AddInitializer($"{node.Name}.height_average", Averaging(inputHeight, outputHeight), [outputHeight, inputHeight]);
        string pooledColumns = graph.FreshValueName($"{node.Name}/width_pooled");
        graph.AddNode("MatMul", $"{node.Name}/width", [input, columns], pooledColumns);
        graph.DeclareValue(pooledColumns, [node.InputShape[0], inputHeight, outputWidth]);
        return graph.AddNode("MatMul", node.Name, [rows, pooledColumns], output);
    }

    /// <summary>The <c>output x input</c> matrix whose row <c>i</c> averages adaptive window <c>i</c>.</summary>
    internal static float[] Averaging(int input, int output)
    {
        float[] matrix = new float[output * input];
        for (int i = 0; i < output; i++)
        {
            ShapeRules.AdaptiveWindow(i, input, output, out long start, out long end);
            for (long j = start; j < end; j++)
            {
                matrix[i * input + j] = 1f / (end - start);
            }
        }

        return matrix;
    }

    private static float[] Transpose(float[] matrix, int rows, int columns)
    {
        float[] transposed = new float[matrix.Length];
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                transposed[column * rows + row] = matrix[row * columns + column];
            }
        }

        return transposed;
    }
}
