using System.Numerics.Tensors;

namespace ConvGen.Kernels;

/// <summary>
/// 2-D cross-correlation (what PyTorch calls convolution) over NCHW float32 batches, as im2col + GEMM:
/// each sample's input is unfolded into a <c>(C_in*kH*kW) x (H'*W')</c> matrix, so the layer is one matrix product.
/// </summary>
public static class Conv2d
{
    /// <summary>
    /// <c>(N, C_in, H, W) -> (N, C_out, H', W')</c>: <c>output = weight * unfold(input) + bias</c>.
    /// <paramref name="bias"/> may be empty (no bias); <paramref name="columns"/> holds <see cref="Conv2dGeometry.ColumnsSize"/> values.
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        int batch, in Conv2dGeometry geometry, Span<float> columns)
    {
        int plane = geometry.OutputPlane;
        for (int n = 0; n < batch; n++)
        {
            Span<float> sampleOutput = output.Slice(n * geometry.OutputSize, geometry.OutputSize);
            Unfold(input.Slice(n * geometry.InputSize, geometry.InputSize), columns, geometry);
            Gemm.Multiply(false, false, geometry.OutChannels, plane, geometry.ColumnRows, weight, columns, sampleOutput, accumulate: false);
            if (!bias.IsEmpty)
            {
                for (int o = 0; o < geometry.OutChannels; o++)
                {
                    Span<float> channel = sampleOutput.Slice(o * plane, plane);
                    TensorPrimitives.Add(channel, bias[o], channel);
                }
            }
        }
    }

    /// <summary>
    /// Gradients of the parameters: <c>dW = sum_n dY_n * unfold(X_n)^T</c> (OIHW) and <c>db = sum over N, H', W' of dY</c>.
    /// Overwrites <paramref name="weightGradient"/> and <paramref name="biasGradient"/> (which may be empty).
    /// </summary>
    public static void BackwardWeight(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, in Conv2dGeometry geometry, Span<float> columns)
    {
        int plane = geometry.OutputPlane;
        weightGradient[..geometry.WeightSize].Clear();
        biasGradient.Clear();
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> sampleGradient = outputGradient.Slice(n * geometry.OutputSize, geometry.OutputSize);
            Unfold(input.Slice(n * geometry.InputSize, geometry.InputSize), columns, geometry);
            Gemm.Multiply(false, true, geometry.OutChannels, geometry.ColumnRows, plane, sampleGradient, columns, weightGradient, accumulate: true);
            if (!biasGradient.IsEmpty)
            {
                for (int o = 0; o < geometry.OutChannels; o++)
                {
                    biasGradient[o] += TensorPrimitives.Sum(sampleGradient.Slice(o * plane, plane));
                }
            }
        }
    }

    /// <summary>
    /// Gradient of the input: <c>dX_n = fold(W^T * dY_n)</c>, <c>(N, C_out, H', W') -> (N, C_in, H, W)</c>. Overwrites <paramref name="inputGradient"/>.
    /// </summary>
    public static void BackwardInput(
        ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient,
        int batch, in Conv2dGeometry geometry, Span<float> columns)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> sampleGradient = outputGradient.Slice(n * geometry.OutputSize, geometry.OutputSize);
            Gemm.Multiply(true, false, geometry.ColumnRows, geometry.OutputPlane, geometry.OutChannels, weight, sampleGradient, columns, accumulate: false);
            Fold(columns, inputGradient.Slice(n * geometry.InputSize, geometry.InputSize), geometry);
        }
    }

    /// <summary>im2col for one sample: row <c>(c, ky, kx)</c>, column <c>(oy, ox)</c> holds the input tap, zero in the padding.</summary>
    internal static void Unfold(ReadOnlySpan<float> sample, Span<float> columns, in Conv2dGeometry g)
    {
        int row = 0;
        for (int c = 0; c < g.InChannels; c++)
        {
            ReadOnlySpan<float> channel = sample.Slice(c * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++, row++)
                {
                    Span<float> destination = columns.Slice(row * g.OutputPlane, g.OutputPlane);
                    for (int oy = 0; oy < g.OutputHeight; oy++)
                    {
                        int y = oy * g.StrideHeight - g.PaddingHeight + ky;
                        Span<float> line = destination.Slice(oy * g.OutputWidth, g.OutputWidth);
                        if ((uint)y >= (uint)g.InputHeight)
                        {
                            line.Clear();
                            continue;
                        }

                        ReadOnlySpan<float> inputRow = channel.Slice(y * g.InputWidth, g.InputWidth);
                        for (int ox = 0; ox < g.OutputWidth; ox++)
                        {
                            int x = ox * g.StrideWidth - g.PaddingWidth + kx;
                            line[ox] = (uint)x < (uint)g.InputWidth ? inputRow[x] : 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>col2im for one sample: the adjoint of <see cref="Unfold"/>, summing every tap back into its input pixel.</summary>
    internal static void Fold(ReadOnlySpan<float> columns, Span<float> sample, in Conv2dGeometry g)
    {
        sample[..g.InputSize].Clear();
        int row = 0;
        for (int c = 0; c < g.InChannels; c++)
        {
            Span<float> channel = sample.Slice(c * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++, row++)
                {
                    ReadOnlySpan<float> source = columns.Slice(row * g.OutputPlane, g.OutputPlane);
                    for (int oy = 0; oy < g.OutputHeight; oy++)
                    {
                        int y = oy * g.StrideHeight - g.PaddingHeight + ky;
                        if ((uint)y >= (uint)g.InputHeight)
                        {
                            continue;
                        }

                        Span<float> inputRow = channel.Slice(y * g.InputWidth, g.InputWidth);
                        ReadOnlySpan<float> line = source.Slice(oy * g.OutputWidth, g.OutputWidth);
                        for (int ox = 0; ox < g.OutputWidth; ox++)
                        {
                            int x = ox * g.StrideWidth - g.PaddingWidth + kx;
                            if ((uint)x < (uint)g.InputWidth)
                            {
                                inputRow[x] += line[ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
