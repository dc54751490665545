using ConvGen.Samples.Digits;
using ConvGen.Samples.Kernels;
using ConvGen.Samples.PaddingAndStride;
using MnistNet = ConvGen.Samples.Mnist.MnistNet;

namespace ConvGen.Onnx.Tests;

/// <summary>The test networks and the samples' networks, generated at compile time, give ConvGen's outputs in ONNX Runtime.</summary>
public sealed class NetworkExportTests
{
    [Fact]
    public void EveryLayerNet_matches() => OnnxRuntimeCheck.ExportMatches<EveryLayerNet>();

    [Fact]
    public void EveryOptionNet_matches() => OnnxRuntimeCheck.ExportMatches<EveryOptionNet>();

    [Fact]
    public void ActivationNet_matches() => OnnxRuntimeCheck.ExportMatches<ActivationNet>();

    [Fact]
    public void SequenceNet_matches() => OnnxRuntimeCheck.ExportMatches<SequenceNet>();

    [Fact]
    public void SoftmaxNet_matches() => OnnxRuntimeCheck.ExportMatches<SoftmaxNet>();

    [Fact]
    public void BatchNormNet_matches() => OnnxRuntimeCheck.ExportMatches<BatchNormNet>();

    [Fact]
    public void SmoothBatchNormNet_matches() => OnnxRuntimeCheck.ExportMatches<SmoothBatchNormNet>();

    [Fact]
    public void LeNet5_matches() => OnnxRuntimeCheck.ExportMatches<LeNet5>();

    [Fact]
    public void GlobalPoolingNet_matches() => OnnxRuntimeCheck.ExportMatches<GlobalPoolingNet>();

    [Fact]
    public void BorderAverageLinearNet_matches() => OnnxRuntimeCheck.ExportMatches<BorderAverageLinearNet>();

    [Fact]
    public void Digits_sample_matches() => OnnxRuntimeCheck.ExportMatches<DigitsNet>();

    [Fact]
    public void Mnist_sample_matches() => OnnxRuntimeCheck.ExportMatches<MnistNet>();

    [Fact]
    public void Kernels_sample_matches() => OnnxRuntimeCheck.ExportMatches<ExerciseNet>();

    [Fact]
    public void Kernels_sample_first_layer_matches() => OnnxRuntimeCheck.ExportMatches<ExerciseFirstLayer>();

    [Fact]
    public void PaddingAndStride_samples_match()
    {
        OnnxRuntimeCheck.ExportMatches<BasicConvNet>();
        OnnxRuntimeCheck.ExportMatches<ConvNetPadding>();
        OnnxRuntimeCheck.ExportMatches<ConvNetDeeperPadding>();
        OnnxRuntimeCheck.ExportMatches<ConvNetPaddingStride>();
    }
}
