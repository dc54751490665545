using static TorchSharp.torch;
using Xunit.Abstractions;

namespace ConvGen.TorchSharp.Tests;

/// <summary>
/// Once the backend has started, libtorch's convolution input gradients are right on this machine, whether or not the
/// start-up check had to turn oneDNN off (it has had to on an AMD EPYC host with libtorch 2.10).
/// </summary>
public sealed class ConvolutionSelfCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void The_checked_case_is_right_after_start()
    {
        Assert.True(TorchRuntime.Ready().IsRight);
        output.WriteLine($"oneDNN turned off by the check: {ConvolutionSelfCheck.OneDnnDisabled}");
        Assert.True(ConvolutionSelfCheck.InputGradientIsRight());
    }

    [Fact]
    public void A_padded_batch_input_gradient_is_the_hand_counted_one()
    {
        Assert.True(TorchRuntime.Ready().IsRight);
        using var scope = NewDisposeScope();
        // Three samples of ones (2 channels, 3 x 3), a 3 x 3 kernel of ones per channel pair, padding 1: each input
        // pixel's gradient counts the output pixels whose window covers it (4 at corners, 6 on edges, 9 inside) for each
        // of the 2 output channels.
        Tensor input = ones(3, 2, 3, 3).requires_grad_(true);
        nn.functional.conv2d(input, ones(2, 2, 3, 3), padding: [1, 1]).sum().backward();
        float[] plane = [8, 12, 8, 12, 18, 12, 8, 12, 8];
        float[] expected = [.. Enumerable.Repeat(plane, 3 * 2).SelectMany(values => values)];
        Assert.Equal(expected, input.grad!.data<float>().ToArray());
    }
}
