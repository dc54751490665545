using ConvGen.Shapes;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The shared shape calculus, through the generator's copy of <see cref="ShapeRules"/>. Expected sizes are what
/// PyTorch 1.13 gives (conv2d / max_pool2d output shapes); sizes below one, which PyTorch refuses, follow the formula.
/// </summary>
public sealed class ShapeRulesTests
{
    [Theory]
    [InlineData(28, 5, 1, 2, 1, 28)] // notebook 002: "same" 5x5 convolution
    [InlineData(28, 3, 1, 0, 1, 26)]
    [InlineData(28, 3, 2, 0, 1, 13)]
    [InlineData(28, 3, 2, 1, 1, 14)]
    [InlineData(7, 3, 2, 1, 1, 4)]
    [InlineData(32, 5, 1, 0, 1, 28)] // LeNet-5's first convolution
    [InlineData(224, 11, 4, 2, 1, 55)] // AlexNet's first convolution
    [InlineData(224, 7, 2, 3, 1, 112)] // ResNet's stem
    [InlineData(13, 4, 3, 1, 1, 4)]
    [InlineData(5, 5, 1, 0, 1, 1)] // the kernel fits exactly once
    [InlineData(10, 3, 1, 0, 2, 6)] // dilation 2: a 3x3 kernel spans 5
    [InlineData(28, 3, 1, 2, 2, 28)]
    [InlineData(4, 5, 1, 0, 1, 0)] // does not fit: PyTorch refuses
    [InlineData(3, 5, 2, 0, 1, 0)]
    [InlineData(2, 5, 2, 0, 1, -1)] // floor, not truncation, of -3 / 2
    public void ConvolutionOutputSize(long input, long kernel, long stride, long padding, long dilation, long expected)
    {
        Assert.Equal(expected, ShapeRules.ConvolutionOutputSize(input, kernel, stride, padding, dilation));
    }

    [Theory]
    [InlineData(28, 2, 2, 0, false, 14)]
    [InlineData(7, 2, 2, 0, false, 3)]
    [InlineData(7, 3, 2, 1, false, 4)]
    [InlineData(112, 3, 2, 1, false, 56)] // ResNet's max pool
    [InlineData(7, 2, 2, 0, true, 4)] // ceil mode keeps the partial last window
    [InlineData(6, 2, 2, 0, true, 3)] // ... and changes nothing when windows tile the input
    [InlineData(13, 3, 2, 0, true, 6)]
    [InlineData(10, 3, 3, 0, true, 4)]
    [InlineData(8, 3, 3, 1, true, 3)]
    [InlineData(14, 3, 2, 1, true, 8)]
    [InlineData(6, 3, 2, 1, true, 4)]
    [InlineData(5, 3, 2, 1, true, 3)]
    [InlineData(4, 3, 3, 1, true, 2)]
    [InlineData(5, 2, 2, 1, true, 3)] // the last window would start in the right padding: dropped
    [InlineData(1, 1, 1, 0, true, 1)]
    public void PoolingOutputSize(long input, long kernel, long stride, long padding, bool ceilMode, long expected)
    {
        Assert.Equal(expected, ShapeRules.PoolingOutputSize(input, kernel, stride, padding, ceilMode: ceilMode));
    }

    [Theory]
    [InlineData(10, 3, 2, 0, 2, 4)]
    [InlineData(11, 2, 2, 1, 2, 6)]
    public void DilatedPoolingOutputSizeInCeilMode(long input, long kernel, long stride, long padding, long dilation, long expected)
    {
        Assert.Equal(expected, ShapeRules.PoolingOutputSize(input, kernel, stride, padding, dilation, ceilMode: true));
    }

    [Theory]
    [InlineData(28, 3, 2, 0, 1, 1)]
    [InlineData(28, 2, 2, 0, 1, 0)]
    [InlineData(7, 2, 2, 0, 1, 1)] // MaxPool2d(2) on 7x7 drops the last row
    [InlineData(8, 3, 2, 1, 1, 0)] // the row left over is the trailing padding, not input
    [InlineData(11, 2, 4, 1, 1, 2)] // 3 rows left over, 1 of them padding
    [InlineData(224, 11, 4, 2, 1, 0)] // AlexNet's first convolution skips only padding
    [InlineData(224, 7, 2, 3, 1, 0)]
    [InlineData(225, 3, 4, 0, 1, 2)]
    [InlineData(10, 3, 3, 0, 1, 1)]
    [InlineData(11, 3, 4, 0, 1, 0)]
    [InlineData(10, 3, 1, 0, 2, 0)] // stride 1 reaches everything
    [InlineData(12, 3, 4, 0, 2, 3)]
    [InlineData(4, 5, 1, 0, 1, 0)] // no window at all: nothing to call unused
    public void UnusedInputSize(long input, long kernel, long stride, long padding, long dilation, long expected)
    {
        // Expected: padded input minus the reach of the last window PyTorch places, (out - 1) * s + d * (k - 1) + 1.
        Assert.Equal(expected, ShapeRules.UnusedInputSize(input, kernel, stride, padding, dilation));
    }

    [Theory]
    [InlineData(2, 1, true)]
    [InlineData(2, 2, false)]
    [InlineData(3, 1, true)]
    [InlineData(3, 2, false)]
    [InlineData(4, 2, true)]
    [InlineData(4, 3, false)]
    [InlineData(5, 2, true)]
    [InlineData(5, 3, false)]
    [InlineData(1, 0, true)]
    [InlineData(1, 1, false)]
    [InlineData(2, -1, false)]
    public void PoolingPaddingAtMostHalfTheKernel(long kernel, long padding, bool valid)
    {
        Assert.Equal(valid, ShapeRules.IsPoolingPaddingValid(kernel, padding));
    }

    [Theory]
    [InlineData(3, 1, 1, 1)] // odd kernel: centred
    [InlineData(4, 1, 1, 2)] // even kernel: PyTorch pads the extra zero after
    [InlineData(2, 1, 0, 1)]
    [InlineData(3, 2, 2, 2)] // dilation 2 spans 5: centred
    [InlineData(4, 3, 4, 5)] // dilation 3 spans 10
    [InlineData(1, 5, 0, 0)]
    public void SamePadding(long kernel, long dilation, long before, long after)
    {
        ShapeRules.SamePadding(kernel, dilation, out long actualBefore, out long actualAfter);
        Assert.Equal((before, after), (actualBefore, actualAfter));
    }

    // A Conv1d's length follows the same rule: torch 1.13's nn.Conv1d(1, 1, k, stride=s, padding=p, dilation=d) on (1, 1, n).
    [Theory]
    [InlineData(100, 3, 1, 0, 1, 98)]
    [InlineData(100, 5, 2, 2, 1, 50)]
    [InlineData(8000, 80, 16, 0, 1, 496)] // a raw-audio stem
    [InlineData(8000, 80, 4, 38, 1, 2000)]
    [InlineData(50, 3, 1, 2, 2, 50)]
    [InlineData(7, 4, 3, 1, 1, 2)]
    public void Conv1dOutputLength(long input, long kernel, long stride, long padding, long dilation, long expected)
    {
        Assert.Equal(expected, ShapeRules.ConvolutionOutputSize(input, kernel, stride, padding, dilation));
    }

    // Windows as torch.nn.AdaptiveAvgPool2d takes them: start floor(i*in/out), end ceil((i+1)*in/out).
    [Theory]
    [InlineData(7, 3, new long[] { 0, 2, 4 }, new long[] { 3, 5, 7 })]
    [InlineData(10, 4, new long[] { 0, 2, 5, 7 }, new long[] { 3, 5, 8, 10 })]
    [InlineData(5, 5, new long[] { 0, 1, 2, 3, 4 }, new long[] { 1, 2, 3, 4, 5 })]
    [InlineData(3, 6, new long[] { 0, 0, 1, 1, 2, 2 }, new long[] { 1, 1, 2, 2, 3, 3 })] // more outputs than inputs: windows repeat
    [InlineData(28, 1, new long[] { 0 }, new long[] { 28 })] // global pooling
    public void AdaptiveWindow(long input, long output, long[] starts, long[] ends)
    {
        for (long i = 0; i < output; i++)
        {
            ShapeRules.AdaptiveWindow(i, input, output, out long start, out long end);
            Assert.Equal((starts[i], ends[i]), (start, end));
        }
    }
}
