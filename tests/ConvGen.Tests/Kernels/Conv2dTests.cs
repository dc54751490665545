using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The convolution (implicit GEMM, or wide rows for few channels) against direct loops in double, over batches that
/// the kernel splits between threads, and the weight gradient's sum over samples repeated bit for bit.
/// </summary>
public sealed class Conv2dTests
{
    public static TheoryData<Conv2dGeometry, int> Shapes => new()
    {
        { new Conv2dGeometry(1, 28, 28, 32, 28, 28, 5, 5, 1, 1, 2, 2), 3 },
        { new Conv2dGeometry(3, 9, 7, 5, 5, 3, 3, 3, 2, 2, 1, 0), 11 },
        { new Conv2dGeometry(4, 6, 6, 2, 3, 3, 4, 4, 1, 1, 0, 0), 9 },
        { new Conv2dGeometry(2, 5, 5, 3, 3, 3, 1, 1, 2, 2, 0, 0), 1 },
        // Padding as wide as the kernel: some outputs see only padding, and the input gradient's spread starts off the buffer.
        { new Conv2dGeometry(2, 4, 5, 3, 7, 8, 2, 2, 1, 1, 2, 2), 2 },
        // Stride 3: the last input rows and columns meet no window; the input gradient's nine phases have 1 or 2 taps an axis.
        { new Conv2dGeometry(3, 10, 9, 4, 4, 3, 3, 3, 3, 3, 2, 1), 3 },
        // The ResNet sample's downsampling units: a 3x3 stride-2 convolution and its 1x1 stride-2 projection, whose
        // odd input rows and columns meet no tap; strides that differ between the axes, and a kernel wider than its stride.
        { new Conv2dGeometry(16, 28, 28, 32, 14, 14, 3, 3, 2, 2, 1, 1), 3 },
        { new Conv2dGeometry(16, 14, 14, 32, 7, 7, 1, 1, 2, 2, 0, 0), 2 },
        { new Conv2dGeometry(3, 9, 11, 5, 5, 4, 3, 5, 2, 3, 1, 2), 2 },
        // Column stride 2, where the input gradient's rows are woven from an even and an odd column phase: padding 2
        // (the even columns in the first phase), and a one-column input (no odd columns at all).
        { new Conv2dGeometry(2, 6, 8, 3, 4, 5, 3, 3, 2, 2, 2, 2), 2 },
        { new Conv2dGeometry(2, 5, 1, 3, 3, 1, 3, 3, 2, 2, 1, 1), 2 },
        // LeNet's two convolutions: few output channels, computed along wide rows (one block of six, then three blocks,
        // the last part empty); batches that give each of the weight gradient's slices several samples.
        { new Conv2dGeometry(1, 28, 28, 6, 28, 28, 5, 5, 1, 1, 2, 2), 10 },
        { new Conv2dGeometry(6, 14, 14, 16, 10, 10, 5, 5, 1, 1, 0, 0), 19 },
        // Seven channels (a block of six and one of one), taps no block of three divides, rows narrower than a register;
        // then a batch whose slices hold more samples than the weight gradient sums in registers at once.
        { new Conv2dGeometry(2, 6, 5, 7, 7, 4, 2, 2, 1, 1, 1, 0), 4 },
        { new Conv2dGeometry(2, 6, 5, 7, 7, 4, 2, 2, 1, 1, 1, 0), 140 },
        { new Conv2dGeometry(8, 3, 12, 8, 3, 12, 1, 3, 1, 1, 0, 1), 2 },
        // Fourteen channels, in one block of sixteen rows where registers are 512 bits wide; padding rows to skip.
        { new Conv2dGeometry(3, 7, 9, 14, 7, 9, 3, 3, 1, 1, 1, 1), 3 },
        // The ResNet sample's first stage, 16 channels both ways: two blocks of eight rows by three registers where
        // registers are 512 bits wide, tiles that span two output rows, the last one past the last row.
        { new Conv2dGeometry(16, 28, 28, 16, 28, 28, 3, 3, 1, 1, 1, 1), 2 },
        // Its last stage, 7x7 planes of 64 channels: 49 pixels, tiles of six rows and one of seven where 32 registers
        // hold it; into them, a stride-2 layer.
        { new Conv2dGeometry(64, 7, 7, 64, 7, 7, 3, 3, 1, 1, 1, 1), 2 },
        { new Conv2dGeometry(32, 14, 14, 64, 7, 7, 3, 3, 2, 2, 1, 1), 1 },
    };

    // Notebook 002's second convolution (on the implicit GEMM) and LeNet's (along wide rows).
    public static TheoryData<Conv2dGeometry> WeightGradientShapes =>
    [
        new Conv2dGeometry(32, 14, 14, 64, 14, 14, 5, 5, 1, 1, 2, 2),
        new Conv2dGeometry(6, 14, 14, 16, 10, 10, 5, 5, 1, 1, 0, 0),
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardAndBothGradientsMatchDirectLoops(Conv2dGeometry g, int batch)
    {
        var random = new Random(7);
        float[] input = Random(batch * g.InputSize, random), weight = Random(g.WeightSize, random), bias = Random(g.OutChannels, random);
        float[] outputGradient = Random(batch * g.OutputSize, random);
        var output = new float[batch * g.OutputSize];
        var weightGradient = new float[g.WeightSize];
        var biasGradient = new float[g.OutChannels];
        var inputGradient = new float[batch * g.InputSize];

        Convolution.Forward(input, weight, bias, output, batch, g);
        Convolution.BackwardWeight(input, outputGradient, weightGradient, biasGradient, batch, g);
        Convolution.BackwardInput(outputGradient, weight, inputGradient, batch, g);

        var expectedOutput = new double[output.Length];
        var expectedWeight = new double[weightGradient.Length];
        var expectedBias = new double[biasGradient.Length];
        var expectedInput = new double[inputGradient.Length];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < g.OutChannels; o++)
            {
                for (int oy = 0; oy < g.OutputHeight; oy++)
                {
                    for (int ox = 0; ox < g.OutputWidth; ox++)
                    {
                        int outputIndex = ((n * g.OutChannels + o) * g.OutputHeight + oy) * g.OutputWidth + ox;
                        double sum = bias[o], dy = outputGradient[outputIndex];
                        expectedBias[o] += dy;
                        for (int c = 0; c < g.InChannels; c++)
                        {
                            for (int ky = 0; ky < g.KernelHeight; ky++)
                            {
                                for (int kx = 0; kx < g.KernelWidth; kx++)
                                {
                                    int y = oy * g.StrideHeight - g.PaddingHeight + ky, x = ox * g.StrideWidth - g.PaddingWidth + kx;
                                    if (y < 0 || y >= g.InputHeight || x < 0 || x >= g.InputWidth)
                                    {
                                        continue;
                                    }

                                    int inputIndex = ((n * g.InChannels + c) * g.InputHeight + y) * g.InputWidth + x;
                                    int weightIndex = ((o * g.InChannels + c) * g.KernelHeight + ky) * g.KernelWidth + kx;
                                    sum += (double)input[inputIndex] * weight[weightIndex];
                                    expectedWeight[weightIndex] += dy * input[inputIndex];
                                    expectedInput[inputIndex] += dy * weight[weightIndex];
                                }
                            }
                        }

                        expectedOutput[outputIndex] = sum;
                    }
                }
            }
        }

        AssertClose(expectedOutput, output, "output");
        AssertClose(expectedWeight, weightGradient, "weight gradient");
        AssertClose(expectedBias, biasGradient, "bias gradient");
        AssertClose(expectedInput, inputGradient, "input gradient");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheFusedReluIsTheReluOfThePlainOutputBitForBit(Conv2dGeometry g, int batch) =>
        AssertTheFusedActivationIsTheSeparateOne(g, batch, relu: true, plain => Activations.ReluForward(plain, plain));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheFusedSigmoidIsTheSigmoidOfThePlainOutputBitForBit(Conv2dGeometry g, int batch) =>
        AssertTheFusedActivationIsTheSeparateOne(g, batch, relu: false, plain => Activations.SigmoidForward(plain, plain));

    [Fact]
    public void AReluAndASigmoidTogetherAreRefused()
    {
        var g = new Conv2dGeometry(1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 0, 0);

        var error = Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[9], new float[1], [], new float[9], 1, g, relu: true, sigmoid: true));

        Assert.StartsWith("A convolution applies a ReLU or a sigmoid on the way out, not both.", error.Message);
    }

    [Theory]
    [MemberData(nameof(WeightGradientShapes))]
    public void TheWeightGradientIsTheSameBitForBitOnEveryRun(Conv2dGeometry g)
    {
        const int batch = 64;
        var random = new Random(8);
        float[] input = Random(batch * g.InputSize, random), outputGradient = Random(batch * g.OutputSize, random);
        float[] first = new float[g.WeightSize], firstBias = new float[g.OutChannels];
        Convolution.BackwardWeight(input, outputGradient, first, firstBias, batch, g);
        for (int run = 0; run < 3; run++)
        {
            float[] again = new float[g.WeightSize], againBias = new float[g.OutChannels];
            Convolution.BackwardWeight(input, outputGradient, again, againBias, batch, g);
            Assert.Equal(first, again);
            Assert.Equal(firstBias, againBias);
        }
    }

    [Theory]
    [MemberData(nameof(WeightGradientShapes))]
    public void WithoutABiasTheWeightGradientIsTheSameBitForBit(Conv2dGeometry g)
    {
        const int batch = 19;
        var random = new Random(10);
        float[] input = Random(batch * g.InputSize, random), outputGradient = Random(batch * g.OutputSize, random);
        float[] withBias = new float[g.WeightSize], withoutBias = new float[g.WeightSize];

        Convolution.BackwardWeight(input, outputGradient, withBias, new float[g.OutChannels], batch, g);
        Convolution.BackwardWeight(input, outputGradient, withoutBias, [], batch, g);

        Assert.Equal(withBias.Select(BitConverter.SingleToInt32Bits), withoutBias.Select(BitConverter.SingleToInt32Bits));
    }

    private static void AssertTheFusedActivationIsTheSeparateOne(Conv2dGeometry g, int batch, bool relu, Action<float[]> activation)
    {
        var random = new Random(9);
        float[] input = Random(batch * g.InputSize, random), weight = Random(g.WeightSize, random), bias = Random(g.OutChannels, random);
        // A NaN in the input reaches some outputs (NaN stays NaN through the activation); a zero filter and bias give
        // outputs of exactly zero elsewhere.
        input[0] = float.NaN;
        bias[0] = 0f;
        weight.AsSpan(0, g.WeightSize / g.OutChannels).Clear();
        var plain = new float[batch * g.OutputSize];
        var fused = new float[batch * g.OutputSize];

        Convolution.Forward(input, weight, bias, plain, batch, g);
        activation(plain);
        Convolution.Forward(input, weight, bias, fused, batch, g, relu, sigmoid: !relu);

        Assert.Equal(plain.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"{what}[{i}] = {actual[i]}, expected {expected[i]}");
        }
    }

    private static float[] Random(int count, Random random)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
