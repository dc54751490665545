using ConvGen.Samples.OnnxDeployment;
using ConvGen.Terminal;

namespace ConvGen.Onnx.Tests;

/// <summary>The OnnxExport sample's whole path: a trained network (batch norm statistics learned) exported, loaded from the file, the same predictions.</summary>
public sealed class DeploymentSampleTests
{
    [Fact]
    public void Trained_digits_network_predicts_the_same_in_OnnxRuntime_from_the_saved_file()
    {
        using var folder = new TemporaryFolder();
        var output = new StringWriter();

        DeploymentResult result = OnnxDeployment.Run(output, TrainingDisplay.Plain(output), folder.File("digits.onnx"), epochs: 3);

        Assert.Equal(360, result.TestCount);
        Assert.Equal(result.TestCount, result.Agreeing);
        Assert.Equal(result.ConvGenAccuracy, result.OnnxRuntimeAccuracy);
        Assert.True(result.ConvGenAccuracy > 0.8f, $"three epochs should reach 80% on the digits, got {result.ConvGenAccuracy:P1}:\n{output}");
        Assert.True(result.LargestDifference < 1e-5f, $"largest difference {result.LargestDifference:E2}");
        Assert.Contains("predictions agree on 360 of 360 test images", output.ToString(), StringComparison.Ordinal);
    }
}
