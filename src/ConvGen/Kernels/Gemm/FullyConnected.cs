using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>Fully connected layer, as <c>torch.nn.Linear</c>: <c>y = x W^T + b</c> with W of shape <c>(out, in)</c>.</summary>
public static class FullyConnected
{
    /// <summary><c>(N, in) -> (N, out)</c>. <paramref name="bias"/> may be empty.</summary>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output, int batch, int inFeatures, int outFeatures)
    {
        using var timing = KernelProfiler.Time("FullyConnected.Forward", "{0} x {1} -> {2} features", batch, inFeatures, outFeatures);
        Gemm.Multiply(false, true, batch, outFeatures, inFeatures, input, weight, output, accumulate: false);
        if (!bias.IsEmpty)
        {
            for (int n = 0; n < batch; n++)
            {
                Span<float> row = output.Slice(n * outFeatures, outFeatures);
                TensorPrimitives.Add(row, bias[..outFeatures], row);
            }
        }
    }

    /// <summary><c>dW = dY^T x</c> (out, in) and <c>db = sum over N of dY</c>; overwrites both (the bias gradient may be empty).</summary>
    public static void BackwardWeight(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, int batch, int inFeatures, int outFeatures)
    {
        using var timing = KernelProfiler.Time("FullyConnected.BackwardWeight", "{0} x {1} -> {2} features", batch, inFeatures, outFeatures);
        Gemm.Multiply(true, false, outFeatures, inFeatures, batch, outputGradient, input, weightGradient, accumulate: false);
        if (!biasGradient.IsEmpty)
        {
            biasGradient[..outFeatures].Clear();
            for (int n = 0; n < batch; n++)
            {
                TensorPrimitives.Add(biasGradient[..outFeatures], outputGradient.Slice(n * outFeatures, outFeatures), biasGradient[..outFeatures]);
            }
        }
    }

    /// <summary><c>dX = dY W</c>, <c>(N, out) -> (N, in)</c>; overwrites <paramref name="inputGradient"/>.</summary>
    public static void BackwardInput(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient, int batch, int inFeatures, int outFeatures)
    {
        using var timing = KernelProfiler.Time("FullyConnected.BackwardInput", "{0} x {1} -> {2} features", batch, inFeatures, outFeatures);
        Gemm.Multiply(false, false, batch, inFeatures, outFeatures, outputGradient, weight, inputGradient, accumulate: false);
    }
}
