using ConvGen.Kernels;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// <see cref="Pooling"/> against <c>max_pool2d</c> and <c>avg_pool2d</c> (floor mode, <c>count_include_pad=True</c>; and
/// <c>count_include_pad=False</c> in floor and ceil mode) and autograd, one test per fixture case. The max-pool inputs have
/// no ties, so the winner is unambiguous.
/// </summary>
public sealed class PoolingFixtureTests
{
    public static TheoryData<string> MaxPoolCases => PyTorchFixtures.CaseNames("max_pool2d");

    public static TheoryData<string> AveragePoolCases => PyTorchFixtures.CaseNames("avg_pool2d");

    public static TheoryData<string> AveragePoolExcludingPaddingCases => PyTorchFixtures.CaseNames("avg_pool2d_exclude_pad");

    [Theory]
    [MemberData(nameof(MaxPoolCases))]
    public void Max_pool_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("max_pool2d", name);
        var (geometry, planes, inputShape, outputShape) = Describe(fixture);

        var (output, indices) = KernelHarness.MaxPoolForward(fixture.Tensor("input").Values, planes, geometry);
        NumericAssert.Matches(fixture.Tensor("output"), outputShape, output, "output");
        // Both sides number the winner by its position within its H x W plane.
        Assert.Equal(fixture.Tensor("indices").AsIntegers(), indices);

        float[] inputGradient = KernelHarness.MaxPoolBackward(fixture.Tensor("output_grad").Values, indices, planes, geometry);
        NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, inputGradient, "input gradient");
    }

    [Theory]
    [MemberData(nameof(AveragePoolCases))]
    public void Average_pool_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("avg_pool2d", name);
        CheckAveragePool(fixture, Describe(fixture));
    }

    [Theory]
    [MemberData(nameof(AveragePoolExcludingPaddingCases))]
    public void Average_pool_without_padding_in_the_divisor_matches_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("avg_pool2d_exclude_pad", name);
        var layer = Describe(fixture, fixture.Bool("ceil_mode"));
        CheckAveragePool(fixture, layer with { Geometry = layer.Geometry with { CountIncludePad = false } });
    }

    private static void CheckAveragePool(FixtureCase fixture, (PoolGeometry Geometry, int Planes, int[] InputShape, int[] OutputShape) layer)
    {
        var (geometry, planes, inputShape, outputShape) = layer;
        float[] output = KernelHarness.AveragePoolForward(fixture.Tensor("input").Values, planes, geometry);
        NumericAssert.Matches(fixture.Tensor("output"), outputShape, output, "output");

        float[] inputGradient = KernelHarness.AveragePoolBackward(fixture.Tensor("output_grad").Values, planes, geometry);
        NumericAssert.Matches(fixture.Tensor("input_grad"), inputShape, inputGradient, "input gradient");
    }

    // The families share one configuration layout; the shapes are checked before anything runs.
    private static (PoolGeometry Geometry, int Planes, int[] InputShape, int[] OutputShape) Describe(FixtureCase fixture, bool ceilMode = false)
    {
        int batch = fixture.Int("batch"), channels = fixture.Int("channels");
        PoolGeometry geometry = KernelHarness.PoolingGeometry(
            fixture.Int("height"), fixture.Int("width"), fixture.Int("kernel_h"), fixture.Int("kernel_w"),
            fixture.Int("stride_h"), fixture.Int("stride_w"), fixture.Int("padding_h"), fixture.Int("padding_w"), ceilMode);
        int[] inputShape = [batch, channels, geometry.InputHeight, geometry.InputWidth];
        int[] outputShape = [batch, channels, geometry.OutputHeight, geometry.OutputWidth];
        NumericAssert.ShapeIs(fixture.Tensor("input"), inputShape, "input");
        NumericAssert.ShapeIs(fixture.Tensor("output"), outputShape, "output");
        return (geometry, batch * channels, inputShape, outputShape);
    }
}
