using ConvGen.Shapes;

namespace ConvGen.Kernels;

/// <summary>
/// Adaptive average pooling over NCHW planes, as <c>torch.nn.AdaptiveAvgPool2d</c>: output cell <c>(i, j)</c> averages
/// input rows <c>[floor(i*H/H'), ceil((i+1)*H/H'))</c> and the columns alike, so windows may differ in size and overlap.
/// </summary>
public static class AdaptivePooling
{
    /// <summary><c>(planes, H, W) -> (planes, H', W')</c>: the mean of each adaptive window.</summary>
    public static void AverageForward(ReadOnlySpan<float> input, Span<float> output, int planes, int inputHeight, int inputWidth, int outputHeight, int outputWidth)
    {
        using var timing = KernelProfiler.Time("AdaptivePooling.AverageForward", "{0} planes of {1} -> {2} values", planes, inputHeight * inputWidth, outputHeight * outputWidth);
        Check(input.Length, output.Length, planes, inputHeight * inputWidth, outputHeight * outputWidth);
        if (outputHeight == 1 && outputWidth == 1)
        {
            GlobalAverageForward(input, output, planes, inputHeight * inputWidth);
            return;
        }

        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> source = input.Slice(plane * inputHeight * inputWidth, inputHeight * inputWidth);
            Span<float> destination = output.Slice(plane * outputHeight * outputWidth, outputHeight * outputWidth);
            for (int oy = 0; oy < outputHeight; oy++)
            {
                ShapeRules.AdaptiveWindow(oy, inputHeight, outputHeight, out long yStart, out long yEnd);
                for (int ox = 0; ox < outputWidth; ox++)
                {
                    ShapeRules.AdaptiveWindow(ox, inputWidth, outputWidth, out long xStart, out long xEnd);
                    float sum = 0f;
                    for (int y = (int)yStart; y < yEnd; y++)
                    {
                        for (int x = (int)xStart; x < xEnd; x++)
                        {
                            sum += source[y * inputWidth + x];
                        }
                    }

                    destination[oy * outputWidth + ox] = sum / ((yEnd - yStart) * (xEnd - xStart));
                }
            }
        }
    }

    /// <summary>Spreads each output gradient evenly over its window. Overwrites <paramref name="inputGradient"/>.</summary>
    public static void AverageBackward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int planes, int inputHeight, int inputWidth, int outputHeight, int outputWidth)
    {
        using var timing = KernelProfiler.Time("AdaptivePooling.AverageBackward", "{0} planes of {1} -> {2} values", planes, inputHeight * inputWidth, outputHeight * outputWidth);
        Check(inputGradient.Length, outputGradient.Length, planes, inputHeight * inputWidth, outputHeight * outputWidth);
        if (outputHeight == 1 && outputWidth == 1)
        {
            GlobalAverageBackward(outputGradient, inputGradient, planes, inputHeight * inputWidth);
            return;
        }

        inputGradient[..(planes * inputHeight * inputWidth)].Clear();
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> source = outputGradient.Slice(plane * outputHeight * outputWidth, outputHeight * outputWidth);
            Span<float> destination = inputGradient.Slice(plane * inputHeight * inputWidth, inputHeight * inputWidth);
            for (int oy = 0; oy < outputHeight; oy++)
            {
                ShapeRules.AdaptiveWindow(oy, inputHeight, outputHeight, out long yStart, out long yEnd);
                for (int ox = 0; ox < outputWidth; ox++)
                {
                    ShapeRules.AdaptiveWindow(ox, inputWidth, outputWidth, out long xStart, out long xEnd);
                    float share = source[oy * outputWidth + ox] / ((yEnd - yStart) * (xEnd - xStart));
                    for (int y = (int)yStart; y < yEnd; y++)
                    {
                        for (int x = (int)xStart; x < xEnd; x++)
                        {
                            destination[y * inputWidth + x] += share;
                        }
                    }
                }
            }
        }
    }

    // One window, the whole plane: the sums of four planes at a time interleaved, each still added in index order
    // (the same bits as the general loop), so that four additions are in flight instead of one long chain.
    private static void GlobalAverageForward(ReadOnlySpan<float> input, Span<float> output, int planes, int plane)
    {
        int first = 0;
        for (; first <= planes - 4; first += 4)
        {
            ReadOnlySpan<float> p0 = input.Slice(first * plane, plane), p1 = input.Slice((first + 1) * plane, plane);
            ReadOnlySpan<float> p2 = input.Slice((first + 2) * plane, plane), p3 = input.Slice((first + 3) * plane, plane);
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int i = 0; i < plane; i++)
            {
                s0 += p0[i];
                s1 += p1[i];
                s2 += p2[i];
                s3 += p3[i];
            }

            output[first] = s0 / plane;
            output[first + 1] = s1 / plane;
            output[first + 2] = s2 / plane;
            output[first + 3] = s3 / plane;
        }

        for (; first < planes; first++)
        {
            float sum = 0f;
            foreach (float value in input.Slice(first * plane, plane))
            {
                sum += value;
            }

            output[first] = sum / plane;
        }
    }

    // Every value of a plane gets its share: 0 + share, as the general loop adds it to a cleared plane (so -0 becomes +0).
    private static void GlobalAverageBackward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int planes, int plane)
    {
        for (int p = 0; p < planes; p++)
        {
            inputGradient.Slice(p * plane, plane).Fill(0f + outputGradient[p] / plane);
        }
    }

    private static void Check(int inputLength, int outputLength, int planes, int inputPlane, int outputPlane)
    {
        if (planes < 0 || inputLength < (long)planes * inputPlane || outputLength < (long)planes * outputPlane)
        {
            throw new ArgumentException($"{planes} planes of {inputPlane} -> {outputPlane} values do not fit the buffers given.");
        }
    }
}
