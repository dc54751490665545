namespace ConvGen.Kernels;

/// <summary>
/// 2-D cross-correlation with everything <c>torch.nn.Conv2d</c> allows: dilation, groups, and padding that differs
/// before and after (the <see cref="Conv2dGeometry"/> padding goes before; the output size decides what goes after).
/// Direct loops, plainly written: the reference for these options, and the kernel the generator calls only when
/// <see cref="Conv2d"/> does not apply. NCHW float32, weights <c>(C_out, C_in/groups, kH, kW)</c>; no allocation.
/// </summary>
public static class Conv2dGeneral
{
    /// <summary>
    /// <c>(N, C_in, H, W) -> (N, C_out, H', W')</c>: output channel <c>o</c> of group <c>g = o / (C_out/groups)</c> sums
    /// input channels <c>g*(C_in/groups) ...</c> at rows <c>oy*s - p + ky*d</c>. <paramref name="bias"/> may be empty.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output, int batch, in Conv2dGeometry g)
    {
        Check(input.Length, output.Length, weight.Length, batch, g);
        int kernelArea = g.KernelHeight * g.KernelWidth;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> sample = input.Slice(n * g.InputSize, g.InputSize);
            for (int o = 0; o < g.OutChannels; o++)
            {
                Span<float> plane = output.Slice(n * g.OutputSize + o * g.OutputPlane, g.OutputPlane);
                plane.Fill(bias.IsEmpty ? 0f : bias[o]);
                int firstInput = o / g.GroupOutChannels * g.GroupInChannels;
                for (int i = 0; i < g.GroupInChannels; i++)
                {
                    ReadOnlySpan<float> channel = sample.Slice((firstInput + i) * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
                    ReadOnlySpan<float> filter = weight.Slice((o * g.GroupInChannels + i) * kernelArea, kernelArea);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            float tap = filter[ky * g.KernelWidth + kx];
                            for (int oy = 0; oy < g.OutputHeight; oy++)
                            {
                                int y = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                                if ((uint)y >= (uint)g.InputHeight)
                                {
                                    continue;
                                }

                                for (int ox = 0; ox < g.OutputWidth; ox++)
                                {
                                    int x = ox * g.StrideWidth - g.PaddingWidth + kx * g.DilationWidth;
                                    if ((uint)x < (uint)g.InputWidth)
                                    {
                                        plane[oy * g.OutputWidth + ox] += tap * channel[y * g.InputWidth + x];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Gradients of the parameters, summed over the batch in sample order: <c>dW</c> (OIHW) and <c>db</c>.
    /// Overwrites <paramref name="weightGradient"/> and <paramref name="biasGradient"/> (which may be empty).
    /// </summary>
    public static void BackwardWeight(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, int batch, in Conv2dGeometry g)
    {
        Check(input.Length, outputGradient.Length, weightGradient.Length, batch, g);
        int kernelArea = g.KernelHeight * g.KernelWidth;
        weightGradient[..g.WeightSize].Clear();
        if (!biasGradient.IsEmpty)
        {
            biasGradient[..g.OutChannels].Clear();
        }

        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> sample = input.Slice(n * g.InputSize, g.InputSize);
            for (int o = 0; o < g.OutChannels; o++)
            {
                ReadOnlySpan<float> plane = outputGradient.Slice(n * g.OutputSize + o * g.OutputPlane, g.OutputPlane);
                if (!biasGradient.IsEmpty)
                {
                    float sum = 0f;
                    foreach (float value in plane)
                    {
                        sum += value;
                    }

                    biasGradient[o] += sum;
                }

                int firstInput = o / g.GroupOutChannels * g.GroupInChannels;
                for (int i = 0; i < g.GroupInChannels; i++)
                {
                    ReadOnlySpan<float> channel = sample.Slice((firstInput + i) * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
                    Span<float> filter = weightGradient.Slice((o * g.GroupInChannels + i) * kernelArea, kernelArea);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            float sum = 0f;
                            for (int oy = 0; oy < g.OutputHeight; oy++)
                            {
                                int y = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                                if ((uint)y >= (uint)g.InputHeight)
                                {
                                    continue;
                                }

                                for (int ox = 0; ox < g.OutputWidth; ox++)
                                {
                                    int x = ox * g.StrideWidth - g.PaddingWidth + kx * g.DilationWidth;
                                    if ((uint)x < (uint)g.InputWidth)
                                    {
                                        sum += plane[oy * g.OutputWidth + ox] * channel[y * g.InputWidth + x];
                                    }
                                }
                            }

                            filter[ky * g.KernelWidth + kx] += sum;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Gradient of the input, <c>(N, C_out, H', W') -> (N, C_in, H, W)</c>: each output gradient scattered back through
    /// the taps that produced it. Overwrites <paramref name="inputGradient"/>.
    /// </summary>
    public static void BackwardInput(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient, int batch, in Conv2dGeometry g)
    {
        Check(inputGradient.Length, outputGradient.Length, weight.Length, batch, g);
        int kernelArea = g.KernelHeight * g.KernelWidth;
        inputGradient[..(batch * g.InputSize)].Clear();
        for (int n = 0; n < batch; n++)
        {
            Span<float> sample = inputGradient.Slice(n * g.InputSize, g.InputSize);
            for (int o = 0; o < g.OutChannels; o++)
            {
                ReadOnlySpan<float> plane = outputGradient.Slice(n * g.OutputSize + o * g.OutputPlane, g.OutputPlane);
                int firstInput = o / g.GroupOutChannels * g.GroupInChannels;
                for (int i = 0; i < g.GroupInChannels; i++)
                {
                    Span<float> channel = sample.Slice((firstInput + i) * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
                    ReadOnlySpan<float> filter = weight.Slice((o * g.GroupInChannels + i) * kernelArea, kernelArea);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            float tap = filter[ky * g.KernelWidth + kx];
                            for (int oy = 0; oy < g.OutputHeight; oy++)
                            {
                                int y = oy * g.StrideHeight - g.PaddingHeight + ky * g.DilationHeight;
                                if ((uint)y >= (uint)g.InputHeight)
                                {
                                    continue;
                                }

                                for (int ox = 0; ox < g.OutputWidth; ox++)
                                {
                                    int x = ox * g.StrideWidth - g.PaddingWidth + kx * g.DilationWidth;
                                    if ((uint)x < (uint)g.InputWidth)
                                    {
                                        channel[y * g.InputWidth + x] += tap * plane[oy * g.OutputWidth + ox];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void Check(int inputLength, int outputLength, int weightLength, int batch, in Conv2dGeometry g)
    {
        if (g.Groups < 1 || g.InChannels % g.Groups != 0 || g.OutChannels % g.Groups != 0)
        {
            throw new ArgumentException($"{g.Groups} groups do not divide {g.InChannels} input and {g.OutChannels} output channels.");
        }

        if (batch < 0 || inputLength < (long)batch * g.InputSize || outputLength < (long)batch * g.OutputSize || weightLength < g.WeightSize)
        {
            throw new ArgumentException(
                $"A batch of {batch} needs {(long)batch * g.InputSize} input, {(long)batch * g.OutputSize} output and {g.WeightSize} weight values; got {inputLength}, {outputLength} and {weightLength}.");
        }
    }
}
