using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Adaptive average pooling to 1 x 1 (global pooling), which sums several planes at once, against PyTorch's rule
/// written out as direct loops: each plane's values added from zero in index order and divided by the plane's size;
/// and its gradient, that share of the output's to every value, added to a cleared input gradient (so a -0 share
/// leaves +0). Bit for bit, on plane counts that fill the interleaved groups and leave one to three over.
/// </summary>
public sealed class GlobalAveragePoolTests
{
    [Theory]
    [InlineData(7, 7, 4)]
    [InlineData(7, 7, 11)]
    [InlineData(1, 1, 3)]
    [InlineData(3, 5, 9)]
    [InlineData(14, 14, 2)]
    public void EveryPlaneMatchesTheDirectLoopsBitForBit(int height, int width, int planes)
    {
        int plane = height * width;
        var random = new Random(height * 100 + width + planes);
        var input = new float[planes * plane];
        for (int i = 0; i < input.Length; i++)
        {
            // Values of many magnitudes, so the order of the additions shows; negative zeros and now and then a NaN or infinity.
            int draw = random.Next(60);
            input[i] = draw == 0 ? float.NaN : draw == 1 ? float.PositiveInfinity : draw < 6 ? -0f : (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)));
        }

        var output = Enumerable.Repeat(float.NaN, planes).ToArray();
        AdaptivePooling.AverageForward(input, output, planes, height, width, 1, 1);
        var expected = new float[planes];
        for (int p = 0; p < planes; p++)
        {
            float sum = 0f;
            for (int i = 0; i < plane; i++)
            {
                sum += input[p * plane + i];
            }

            expected[p] = sum / plane;
        }

        BitAssert.Identical(expected, output, "pooled");

        var outputGradient = new float[planes];
        for (int p = 0; p < planes; p++)
        {
            outputGradient[p] = p % 3 == 0 ? -0f : (float)(random.NextDouble() - 0.5);
        }

        var inputGradient = Enumerable.Repeat(float.NaN, input.Length).ToArray();
        AdaptivePooling.AverageBackward(outputGradient, inputGradient, planes, height, width, 1, 1);
        var expectedGradient = new float[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            expectedGradient[i] += outputGradient[i / plane] / plane;
        }

        BitAssert.Identical(expectedGradient, inputGradient, "input gradient");
    }
}
