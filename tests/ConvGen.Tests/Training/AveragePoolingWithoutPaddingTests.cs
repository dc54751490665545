namespace ConvGen.Tests.Training;

/// <summary>A 5x5 plane averaged over 3x3 windows, stride 2, padding 1, the padding left out of each divisor.</summary>
[Network(InputChannels = 1, InputHeight = 5, InputWidth = 5)]
[AvgPool2d(3, Stride = 2, Padding = 1, CountIncludePad = false), Flatten]
public sealed partial record BorderAverageNet;

/// <summary><see cref="BorderAverageNet"/> with PyTorch's default, the padding counted.</summary>
[Network(InputChannels = 1, InputHeight = 5, InputWidth = 5)]
[AvgPool2d(3, Stride = 2, Padding = 1), Flatten]
public sealed partial record PaddedAverageNet;

/// <summary>Average pooling without the padding in the divisor, in ceil mode, between two layers with parameters.</summary>
[Network(InputChannels = 1, InputHeight = 6, InputWidth = 6)]
[Conv2d(3, Kernel = 3, Padding = 1), AvgPool2d(3, Stride = 2, Padding = 1, CeilMode = true, CountIncludePad = false)]
[Flatten, Linear(48, 3)]
public sealed partial record BorderAverageLinearNet;

/// <summary><c>AvgPool2d(CountIncludePad = false)</c> through the generator: parsed, emitted into the geometry, honoured by the kernels.</summary>
public sealed class AveragePoolingWithoutPaddingTests
{
    [Fact]
    public void A_constant_plane_stays_constant_when_the_padding_is_left_out_of_the_divisor()
    {
        // By hand: the 3x3 outputs' windows cover 2x2 input values at the corners, 2x3 on the edges, 3x3 in the middle.
        // Counting the padding divides all by 9; leaving it out divides by what the window covers, so ones stay ones.
        float[] counted = [4, 6, 4, 6, 9, 6, 4, 6, 4];
        Assert.Equal(Enumerable.Repeat(1f, 9), ForwardOnOnes<BorderAverageNet>());
        Assert.Equal(counted.Select(c => c / 9), ForwardOnOnes<PaddedAverageNet>());
    }

    [Fact]
    public void The_generated_backward_matches_finite_differences() => GeneratedGradientTests.CheckGradients<BorderAverageLinearNet>(step: 1e-2f);

    private static float[] ForwardOnOnes<TNet>()
        where TNet : class, INetwork<TNet>
    {
        NetworkWorkspace workspace = TNet.CreateWorkspace(batchCapacity: 1);
        workspace.Input.Fill(1f);
        workspace.Forward(TNet.Initialize(seed: 0).Parameters.Values, batch: 1, training: false, seed: 0);
        return workspace.Output.ToArray();
    }
}
