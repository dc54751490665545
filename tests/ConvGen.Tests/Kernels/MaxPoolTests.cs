using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Max pooling with 2 x 2 windows at stride 2, which runs vectorised, against PyTorch's rule written out as direct
/// loops: scan each window row by row, a value wins if it is greater than the best so far or is NaN; and its gradient,
/// which goes to the winner alone. The inputs are full of ties and NaNs, on widths that cover whole registers, their
/// tails and odd leftover rows and columns.
/// </summary>
public sealed class MaxPoolTests
{
    [Fact]
    public void TiesAndNaNsPickPyTorchsWinners()
    {
        // Checked by hand against torch 1.13's F.max_pool2d(x, 2, 2, return_indices=True): ties keep the first
        // value in scan order, a NaN beats every number, and of two NaNs the later wins.
        float nan = float.NaN;
        float[] input =
        [
            1, 1, nan, 1, 2, 0, nan, 5,
            1, 1, nan, 2, 2, 3, 4, nan,
        ];
        var geometry = new PoolGeometry(2, 8, 1, 4, 2, 2, 2, 2, 0, 0);
        var output = new float[4];
        var indices = new int[4];

        Pooling.MaxForward(input, output, indices, planes: 1, geometry);

        Assert.Equal([0, 10, 13, 15], indices);
        Assert.Equal(1f, output[0]);
        Assert.True(float.IsNaN(output[1]));
        Assert.Equal(3f, output[2]);
        Assert.True(float.IsNaN(output[3]));
    }

    [Theory]
    [InlineData(28, 28, 3, 2, 2, 0)]
    [InlineData(9, 7, 2, 2, 2, 0)]
    [InlineData(9, 7, 2, 3, 2, 1)]
    [InlineData(6, 6, 2, 3, 1, 1)]
    public void TheFusedReluBackwardIsTheReluBackwardOfThePoolsBitForBit(int height, int width, int planes, int kernel, int stride, int padding)
    {
        int outputHeight = (height + 2 * padding - kernel) / stride + 1, outputWidth = (width + 2 * padding - kernel) / stride + 1;
        var geometry = new PoolGeometry(height, width, outputHeight, outputWidth, kernel, kernel, stride, stride, padding, padding);
        var random = new Random(height * 31 + kernel);
        // The ReLU's output: zeros (many windows of them), positives, and a NaN now and then.
        var reluOutput = new float[planes * geometry.InputPlane];
        for (int i = 0; i < reluOutput.Length; i++)
        {
            int draw = random.Next(30);
            reluOutput[i] = draw == 0 ? float.NaN : draw < 12 ? 0f : draw % 5;
        }

        var pooled = new float[planes * geometry.OutputPlane];
        var indices = new int[pooled.Length];
        Pooling.MaxForward(reluOutput, pooled, indices, planes, geometry);
        var outputGradient = new float[pooled.Length];
        for (int i = 0; i < outputGradient.Length; i++)
        {
            outputGradient[i] = (float)(random.NextDouble() - 0.5);
        }

        var separate = new float[reluOutput.Length];
        Pooling.MaxBackward(outputGradient, indices, separate, planes, geometry);
        Activations.ReluBackward(reluOutput, separate);
        var fused = new float[reluOutput.Length];
        Pooling.MaxBackward(outputGradient, indices, fused, planes, geometry, pooledReluOutput: pooled);

        Assert.Equal(separate.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(28, 28, 5)]
    [InlineData(14, 14, 7)]
    [InlineData(5, 37, 3)]
    [InlineData(4, 66, 2)]
    [InlineData(3, 2, 4)]
    public void EveryWindowMatchesTheDirectLoops(int height, int width, int planes)
    {
        var geometry = new PoolGeometry(height, width, height / 2, width / 2, 2, 2, 2, 2, 0, 0);
        var random = new Random(height * 100 + width);
        var input = new float[planes * geometry.InputPlane];
        for (int i = 0; i < input.Length; i++)
        {
            // Few distinct values, so most windows hold ties; now and then a NaN or an infinity.
            int draw = random.Next(40);
            input[i] = draw == 0 ? float.NaN : draw == 1 ? float.NegativeInfinity : draw == 2 ? float.PositiveInfinity : draw % 4;
        }

        var output = new float[planes * geometry.OutputPlane];
        var indices = new int[planes * geometry.OutputPlane];
        Pooling.MaxForward(input, output, indices, planes, geometry);

        for (int plane = 0; plane < planes; plane++)
        {
            for (int oy = 0; oy < geometry.OutputHeight; oy++)
            {
                for (int ox = 0; ox < geometry.OutputWidth; ox++)
                {
                    float best = float.NegativeInfinity;
                    int bestIndex = 2 * oy * width + 2 * ox;
                    foreach (int index in (int[])[2 * oy * width + 2 * ox, 2 * oy * width + 2 * ox + 1, (2 * oy + 1) * width + 2 * ox, (2 * oy + 1) * width + 2 * ox + 1])
                    {
                        float value = input[plane * geometry.InputPlane + index];
                        if (value > best || float.IsNaN(value))
                        {
                            (best, bestIndex) = (value, index);
                        }
                    }

                    int at = (plane * geometry.OutputHeight + oy) * geometry.OutputWidth + ox;
                    Assert.True(bestIndex == indices[at], $"plane {plane} window ({oy}, {ox}): index {indices[at]}, expected {bestIndex}");
                    Assert.True(best.Equals(output[at]), $"plane {plane} window ({oy}, {ox}): {output[at]}, expected {best}");
                }
            }
        }

        // Backward: each window's gradient added to a cleared input gradient at the winner, as autograd scatters it.
        var outputGradient = new float[output.Length];
        for (int i = 0; i < outputGradient.Length; i++)
        {
            outputGradient[i] = i % 7 == 0 ? -0f : (float)(random.NextDouble() - 0.5);
        }

        var expected = new float[input.Length];
        for (int i = 0; i < outputGradient.Length; i++)
        {
            expected[i / geometry.OutputPlane * geometry.InputPlane + indices[i]] += outputGradient[i];
        }

        var inputGradient = new float[input.Length];
        inputGradient.AsSpan().Fill(float.NaN);
        Pooling.MaxBackward(outputGradient, indices, inputGradient, planes, geometry);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), inputGradient.Select(BitConverter.SingleToInt32Bits));
    }
}
