using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Average pooling with 2 x 2 windows at stride 2, which runs vectorised, against PyTorch's rule written out as direct
/// loops: the window's values added from zero in scan order and divided by four; and its gradient, a quarter of the
/// window's to each of its values, added to a cleared input gradient. Bit for bit, on widths that cover whole
/// registers, their tails, rows narrower than a register, and odd leftover rows and columns.
/// </summary>
public sealed class AveragePoolTests
{
    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(28, 28, 6)]
    [InlineData(10, 10, 16)]
    [InlineData(14, 14, 7)]
    [InlineData(5, 37, 3)]
    [InlineData(4, 66, 2)]
    [InlineData(3, 2, 4)]
    [InlineData(7, 9, 3)]
    public void EveryWindowMatchesTheDirectLoopsBitForBit(int height, int width, int planes)
    {
        var geometry = new PoolGeometry(height, width, height / 2, width / 2, 2, 2, 2, 2, 0, 0);
        var random = new Random(height * 100 + width);
        var input = new float[planes * geometry.InputPlane];
        for (int i = 0; i < input.Length; i++)
        {
            // Values of many magnitudes, so the order of the additions shows; negative zeros and now and then a NaN or infinity.
            int draw = random.Next(50);
            input[i] = draw == 0 ? float.NaN : draw == 1 ? float.PositiveInfinity : draw < 6 ? -0f : (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)));
        }

        var output = new float[planes * geometry.OutputPlane];
        Pooling.AverageForward(input, output, planes, geometry);

        var expected = new float[output.Length];
        for (int plane = 0; plane < planes; plane++)
        {
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    int topLeft = plane * geometry.InputPlane + 2 * oy * width + 2 * ox;
                    float sum = 0f;
                    sum += input[topLeft];
                    sum += input[topLeft + 1];
                    sum += input[topLeft + width];
                    sum += input[topLeft + width + 1];
                    expected[(plane * geometry.OutputHeight + oy) * geometry.OutputWidth + ox] = sum / 4;
                }
            }
        }

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), output.Select(BitConverter.SingleToInt32Bits));

        var outputGradient = new float[output.Length];
        for (int i = 0; i < outputGradient.Length; i++)
        {
            outputGradient[i] = i % 7 == 0 ? -0f : (float)(random.NextDouble() - 0.5);
        }

        var expectedGradient = new float[input.Length];
        for (int i = 0; i < outputGradient.Length; i++)
        {
            int plane = i / geometry.OutputPlane, oy = i % geometry.OutputPlane / geometry.OutputWidth, ox = i % geometry.OutputWidth;
            int topLeft = plane * geometry.InputPlane + 2 * oy * width + 2 * ox;
            foreach (int index in (int[])[topLeft, topLeft + 1, topLeft + width, topLeft + width + 1])
            {
                expectedGradient[index] += outputGradient[i] / 4;
            }
        }

        var inputGradient = new float[input.Length];
        inputGradient.AsSpan().Fill(float.NaN);
        Pooling.AverageBackward(outputGradient, inputGradient, planes, geometry);
        Assert.Equal(expectedGradient.Select(BitConverter.SingleToInt32Bits), inputGradient.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(28, 28, 3, 2, 2, 0)]
    [InlineData(9, 7, 2, 2, 2, 0)]
    [InlineData(9, 7, 2, 3, 2, 1)]
    [InlineData(6, 6, 2, 3, 1, 1)]
    public void TheFusedSigmoidBackwardIsTheSigmoidBackwardOfThePoolsBitForBit(int height, int width, int planes, int kernel, int stride, int padding)
    {
        int outputHeight = (height + 2 * padding - kernel) / stride + 1, outputWidth = (width + 2 * padding - kernel) / stride + 1;
        var geometry = new PoolGeometry(height, width, outputHeight, outputWidth, kernel, kernel, stride, stride, padding, padding);
        var random = new Random(height * 31 + kernel);
        // The sigmoid's output: values in (0, 1), exact zeros and ones, and a NaN now and then, on every row and column.
        var sigmoidOutput = new float[planes * geometry.InputPlane];
        for (int i = 0; i < sigmoidOutput.Length; i++)
        {
            int draw = random.Next(30);
            sigmoidOutput[i] = draw == 0 ? float.NaN : draw == 1 ? 0f : draw == 2 ? 1f : (float)random.NextDouble();
        }

        var outputGradient = new float[planes * geometry.OutputPlane];
        for (int i = 0; i < outputGradient.Length; i++)
        {
            outputGradient[i] = (float)(random.NextDouble() - 0.5);
        }

        var separate = new float[sigmoidOutput.Length];
        Pooling.AverageBackward(outputGradient, separate, planes, geometry);
        Activations.SigmoidBackward(sigmoidOutput, separate);
        var fused = new float[sigmoidOutput.Length];
        Pooling.AverageBackward(outputGradient, fused, planes, geometry, sigmoidOutput: sigmoidOutput);

        Assert.Equal(separate.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void ManyPlanesSplitBetweenTheCoresGiveTheSameBitsAsOneAtATime()
    {
        // Enough planes for every core to take a share (LeNet's first pool at batch 64).
        var geometry = new PoolGeometry(28, 28, 14, 14, 2, 2, 2, 2, 0, 0);
        const int planes = 64 * 6;
        var random = new Random(3);
        float[] input = Enumerable.Range(0, planes * geometry.InputPlane).Select(_ => (float)random.NextDouble()).ToArray();
        var whole = new float[planes * geometry.OutputPlane];
        var oneByOne = new float[whole.Length];

        Pooling.AverageForward(input, whole, planes, geometry);
        for (int plane = 0; plane < planes; plane++)
        {
            Pooling.AverageForward(input.AsSpan(plane * geometry.InputPlane), oneByOne.AsSpan(plane * geometry.OutputPlane), 1, geometry);
        }

        Assert.Equal(oneByOne, whole);
    }

    [Fact]
    public void BuffersTooShortForThePlanesAreRefusedWithTheirSizes()
    {
        var geometry = new PoolGeometry(4, 4, 2, 2, 2, 2, 2, 2, 0, 0);

        var error = Assert.Throws<ArgumentException>(() => Pooling.AverageForward(new float[31], new float[8], 2, geometry));

        Assert.Equal("2 planes of 16 -> 4 values do not fit the buffers given.", error.Message);
        Assert.Throws<ArgumentException>(() => Pooling.AverageBackward(new float[7], new float[32], 2, geometry));
    }
}
