using ConvGen.Kernels;
using ConvGen.Shapes;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// Hand-checkable cases whose results the course notebooks printed (<c>/work/shared/seeds/*.txt</c>; the cell is cited
/// on each test). The values are small integers, exact in float32, so the kernels must reproduce them exactly.
/// </summary>
public sealed class NotebookValuesTests
{
    private static readonly float[,] ZeroToEight = { { 0, 1, 2 }, { 3, 4, 5 }, { 6, 7, 8 } };

    // (1, 1, 4, 4) holding 0..15, the pooling notebook's torch.arange(16).reshape(1, 1, 4, 4).
    private static readonly float[,] ZeroToFifteen = { { 0, 1, 2, 3 }, { 4, 5, 6, 7 }, { 8, 9, 10, 11 }, { 12, 13, 14, 15 } };

    [Fact]
    public void Corr2d_of_zero_to_eight()
    {
        // seeds/004, In [29]: corr2d(X, K) printed tensor([[19., 25.], [37., 43.]]).
        float[,] kernel = { { 0, 1 }, { 2, 3 } };
        Assert.Equal(Flat(new float[,] { { 19, 25 }, { 37, 43 } }), Correlate(ZeroToEight, kernel, padding: 0));
    }

    [Fact]
    public void Corr2d_detects_vertical_edges()
    {
        // seeds/004, In [31]-[32]: ones with columns 2..5 zeroed, K = [[1, -1]]: 1 at white-to-black, -1 at black-to-white.
        float[,] image = new float[6, 8], expected = new float[6, 7];
        for (int row = 0; row < 6; row++)
        {
            foreach (int column in new[] { 0, 1, 6, 7 })
            {
                image[row, column] = 1;
            }

            expected[row, 1] = 1;
            expected[row, 5] = -1;
        }

        Assert.Equal(Flat(expected), Correlate(image, new float[,] { { 1, -1 } }, padding: 0));
    }

    [Fact]
    public void Padding_one_equals_the_hand_padded_input()
    {
        // seeds/001, In [21]-[24]: the notebook padded this 3x3 input with zeros by hand before correlating.
        float[,] image = { { 1, 2, 3 }, { 2, 3, 4 }, { 3, 4, 5 } };
        float[,] kernel = { { 0, 1, 2 }, { 0, 1, 2 }, { 0, 1, 2 } };
        float[,] expected = { { 13, 19, 7 }, { 24, 33, 12 }, { 19, 25, 9 } };
        Assert.Equal(Flat(expected), Correlate(image, kernel, padding: 1));
    }

    [Fact]
    public void Multiple_input_channels_are_summed()
    {
        // seeds/004, In [41]: corr2d_multi_in printed tensor([[56., 72.], [104., 120.]]).
        float[,,] image = { { { 0, 1, 2 }, { 3, 4, 5 }, { 6, 7, 8 } }, { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } } };
        float[,,] kernel = { { { 0, 1 }, { 2, 3 } }, { { 1, 2 }, { 3, 4 } } };
        Conv2dGeometry geometry = KernelHarness.ConvolutionGeometry(inChannels: 2, height: 3, width: 3, outChannels: 1, kernelHeight: 2, kernelWidth: 2);
        float[] output = KernelHarness.Conv2dForward(Flat(image), Flat(kernel), [], batch: 1, geometry);
        Assert.Equal(Flat(new float[,] { { 56, 72 }, { 104, 120 } }), output);
    }

    [Fact]
    public void Two_by_two_pooling_with_stride_one()
    {
        // seeds/004, In [47]-[48]: pool2d(X, (2, 2)) printed [[4, 5], [7, 8]] and with 'avg' [[2, 3], [5, 6]].
        PoolGeometry geometry = KernelHarness.PoolingGeometry(3, 3, 2, 2, 1, 1);
        Assert.Equal(Flat(new float[,] { { 4, 5 }, { 7, 8 } }), KernelHarness.MaxPoolForward(Flat(ZeroToEight), 1, geometry).Output);
        Assert.Equal(Flat(new float[,] { { 2, 3 }, { 5, 6 } }), KernelHarness.AveragePoolForward(Flat(ZeroToEight), 1, geometry));
    }

    [Fact]
    public void Max_pool_stride_defaults_to_the_kernel()
    {
        // seeds/004, In [50]: nn.MaxPool2d(3) over 0..15 printed tensor([[[[10.]]]]): one window, stride 3.
        PoolGeometry geometry = KernelHarness.PoolingGeometry(4, 4, 3, 3, 3, 3);
        Assert.Equal([10f], KernelHarness.MaxPoolForward(Flat(ZeroToFifteen), 1, geometry).Output);
    }

    [Fact]
    public void Max_pool_with_padding_and_stride_over_two_channels()
    {
        // seeds/004, In [52] and [55]: nn.MaxPool2d(3, padding=1, stride=2) printed [[5, 7], [13, 15]] for X and
        // [[6, 8], [14, 16]] for the second channel X + 1; channels pool independently.
        float[] channels = [.. Flat(ZeroToFifteen), .. Flat(ZeroToFifteen).Select(v => v + 1)];
        PoolGeometry geometry = KernelHarness.PoolingGeometry(4, 4, 3, 3, 2, 2, 1, 1);
        float[] expected = [5, 7, 13, 15, 6, 8, 14, 16];
        Assert.Equal(expected, KernelHarness.MaxPoolForward(channels, 2, geometry).Output);
    }

    [Fact]
    public void Cross_entropy_of_three_logits()
    {
        // seeds/002, the CrossEntropyLoss cell: logits [[1.5, .8, 2.1]], target [2] printed 0.5996 (four decimals).
        var (loss, _) = KernelHarness.CrossEntropyLossAndGradient([1.5f, 0.8f, 2.1f], [2], batch: 1, classes: 3);
        Assert.Equal(0.5996, loss, precision: 4);
    }

    [Fact]
    public void Binary_cross_entropy_on_probabilities_and_on_logits()
    {
        // seeds/002, In [8]: logits [.8], probas = torch.sigmoid(logits), target [1.0] printed 0.3711 with BCELoss on the
        // probabilities and with BCEWithLogitsLoss on the logits.
        float[] probability = new float[1];
        Activations.SigmoidForward([0.8f], probability);
        Assert.Equal(0.3711, BceLoss.Loss(probability, [1f]), precision: 4);
        Assert.Equal(0.3711, BceWithLogitsLoss.Loss([0.8f], [1f]), precision: 4);
    }

    [Fact]
    public void Negative_log_likelihood_of_log_probabilities()
    {
        // seeds/002, In [18]: NLLLoss of torch.log(torch.softmax([[1.5, .8, 2.1]], dim=1)) with target [2] printed 0.5996,
        // the same as CrossEntropyLoss of the logits. The log-probabilities here are z - log(sum(e^z)), in double.
        double[] logits = [1.5, 0.8, 2.1];
        double logSumExp = Math.Log(logits.Sum(Math.Exp));
        float[] logProbabilities = logits.Select(z => (float)(z - logSumExp)).ToArray();
        Assert.Equal(0.5996, NllLoss.Loss(logProbabilities, [2], batch: 1, classes: 3), precision: 4);
    }

    [Theory]
    // seeds/004, In [35], [37], [38], [39]: an 8x8 input through nn.Conv2d printed these torch.Size values.
    [InlineData(8, 3, 1, 1, 8)] // kernel 3, padding 1; also the width axis of kernel (5, 3), padding (2, 1)
    [InlineData(8, 5, 2, 1, 8)] // kernel (5, 3), padding (2, 1): height axis
    [InlineData(8, 3, 1, 2, 4)] // kernel 3, padding 1, stride 2
    [InlineData(8, 3, 0, 3, 2)] // kernel (3, 5), padding (0, 1), stride (3, 4): height axis
    [InlineData(8, 5, 1, 4, 2)] // kernel (3, 5), padding (0, 1), stride (3, 4): width axis
    public void Convolution_output_sizes(int input, int kernel, int padding, int stride, int expected)
    {
        Assert.Equal(expected, ShapeRules.ConvolutionOutputSize(input, kernel, stride, padding));
    }

    [Fact]
    public void Lenet_style_stack_reaches_seven_by_seven()
    {
        // seeds/002, In [28]: 28x28 through conv(5, padding 2), max pool 2, conv(5, padding 2), max pool 2 printed
        // torch.Size([4, 64, 7, 7]).
        long size = 28;
        size = ShapeRules.ConvolutionOutputSize(size, kernel: 5, stride: 1, padding: 2);
        size = ShapeRules.PoolingOutputSize(size, kernel: 2, stride: 2, padding: 0);
        size = ShapeRules.ConvolutionOutputSize(size, kernel: 5, stride: 1, padding: 2);
        size = ShapeRules.PoolingOutputSize(size, kernel: 2, stride: 2, padding: 0);
        Assert.Equal(7, size);
    }

    // One channel in, one out, no bias, stride 1: the notebooks' corr2d, through the real convolution kernel.
    private static float[] Correlate(float[,] image, float[,] kernel, int padding)
    {
        Conv2dGeometry geometry = KernelHarness.ConvolutionGeometry(
            inChannels: 1, image.GetLength(0), image.GetLength(1), outChannels: 1, kernel.GetLength(0), kernel.GetLength(1),
            paddingHeight: padding, paddingWidth: padding);
        return KernelHarness.Conv2dForward(Flat(image), Flat(kernel), [], batch: 1, geometry);
    }

    // Multi-dimensional arrays enumerate in row-major order, the kernels' layout.
    private static float[] Flat(Array values) => values.Cast<float>().ToArray();
}
