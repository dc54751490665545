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
        Check(input.Length, output.Length, planes, inputHeight * inputWidth, outputHeight * outputWidth);
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
        Check(inputGradient.Length, outputGradient.Length, planes, inputHeight * inputWidth, outputHeight * outputWidth);
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

    private static void Check(int inputLength, int outputLength, int planes, int inputPlane, int outputPlane)
    {
        if (planes < 0 || inputLength < (long)planes * inputPlane || outputLength < (long)planes * outputPlane)
        {
            throw new ArgumentException($"{planes} planes of {inputPlane} -> {outputPlane} values do not fit the buffers given.");
        }
    }
}
