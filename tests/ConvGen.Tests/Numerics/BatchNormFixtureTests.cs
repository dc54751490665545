namespace ConvGen.Tests.Numerics;

/// <summary>
/// <see cref="Kernels.BatchNormalization"/> against <c>torch.nn.functional.batch_norm</c> and autograd, training and evaluation
/// mode, one test per case of <c>tools/fixtures/make_batchnorm_fixtures.py</c>: output, running statistics after the
/// pass, and the input, weight and bias gradients, each shape first, then values.
/// </summary>
public sealed class BatchNormFixtureTests
{
    private const string Family = "batch_norm2d";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_running_statistics_and_gradients_match_PyTorch(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        int[] shape = fixture.Tensor("input").Shape;
        int batch = shape[0], channels = shape[1], plane = shape[2] * shape[3];
        bool training = fixture.Bool("training");
        int[] perChannel = [channels];
        foreach (string tensor in new[] { "weight", "bias", "running_mean", "running_var" })
        {
            NumericAssert.ShapeIs(fixture.Tensor(tensor), perChannel, tensor);
        }

        float[] input = fixture.Tensor("input").Values, weight = fixture.Tensor("weight").Values;
        BatchNormPass pass = BatchNormHarness.Forward(
            input, weight, fixture.Tensor("bias").Values, fixture.Tensor("running_mean").Values, fixture.Tensor("running_var").Values,
            batch, channels, plane, training, fixture.Float("eps"), fixture.Float("momentum"));
        NumericAssert.Matches(fixture.Tensor("output"), shape, pass.Output, "output");
        NumericAssert.Matches(fixture.Tensor("running_mean_after"), perChannel, pass.RunningMean, "running mean after");
        NumericAssert.Matches(fixture.Tensor("running_var_after"), perChannel, pass.RunningVariance, "running variance after");

        LayerGradients gradients = BatchNormHarness.Backward(pass, input, weight, fixture.Tensor("output_grad").Values, batch, channels, plane, training);
        NumericAssert.Matches(fixture.Tensor("input_grad"), shape, gradients.Input, "input gradient");
        NumericAssert.Matches(fixture.Tensor("weight_grad"), perChannel, gradients.Weight, "weight gradient");
        NumericAssert.Matches(fixture.Tensor("bias_grad"), perChannel, gradients.Bias, "bias gradient");
    }
}
