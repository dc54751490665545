using System.Text.Json;
using ConvGen.Checkpoints;
using ConvGen.Layers;
using ConvGen.Tests.Checkpoints;
using ConvGen.Tests.Numerics;
using ConvGen.Training;

namespace ConvGen.Tests.Composition;

/// <summary>
/// Sequentials against PyTorch: one-layer networks through every convolution and linear fixture case (PyTorch's output
/// and parameter gradients for the fixture's weights), and the checkpoint fixtures both ways.
/// </summary>
public sealed class SequentialFixtureTests : IDisposable
{
    private static readonly string Checkpoints = Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints");

    private readonly TemporaryFolder folder = new();

    public static TheoryData<string> ConvolutionCases => PyTorchFixtures.CaseNames("conv2d");

    public static TheoryData<string> GeneralConvolutionCases => PyTorchFixtures.CaseNames("conv2d_general");

    public static TheoryData<string> LinearCases => PyTorchFixtures.CaseNames("linear");

    public void Dispose() => folder.Dispose();

    [Theory]
    [MemberData(nameof(ConvolutionCases))]
    public void AConvolutionLayerComputesWhatPyTorchDoes(string name) => AssertConvolutionMatches(PyTorchFixtures.Case("conv2d", name), general: false);

    [Theory]
    [MemberData(nameof(GeneralConvolutionCases))]
    public void ADilatedGroupedOrSamePaddedConvolutionComputesWhatPyTorchDoes(string name) => AssertConvolutionMatches(PyTorchFixtures.Case("conv2d_general", name), general: true);

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void ALinearLayerComputesWhatPyTorchDoes(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case("linear", name);
        AssertMatches(fixture, (fixture.Int("in_features"), 1, 1), [new Flatten(), new Linear(fixture.Int("in_features"), fixture.Int("out_features")) { Bias = fixture.Bool("bias") }]);
    }

    [Fact]
    public void PyTorchsCheckpointGivesPyTorchsOutputs()
    {
        SequentialNetwork model = Checkpoint.Load(EquivalentNetworks.Checkpoint, Path.Combine(Checkpoints, "pytorch_net.safetensors"))
            .Match(Right: network => network, Left: error => throw new InvalidOperationException(error.Message));
        (int[] shape, float[] input) = Read("input");

        float[] output = model.Predict(input, shape[0]);

        NumericAssert.Matches(new FixtureTensor(Read("pytorch_net_output").Shape, Read("pytorch_net_output").Data), [shape[0], 5], output, "outputs");
    }

    [Fact]
    public void ASequentialWritesTheCheckpointTheGeneratedNetworkWrites()
    {
        // The committed file is what the generated CheckpointNet writes for these parameters, and what PyTorch read.
        SequentialNetwork model = EquivalentNetworks.Checkpoint.FromParameters(CheckpointNet.WithFormulaParameters().Parameters);
        string path = folder.File("sequential.safetensors");

        Assert.True(Checkpoint.Save(model, path).IsRight);

        Assert.Equal(File.ReadAllBytes(Path.Combine(Checkpoints, "convgen_net.safetensors")), File.ReadAllBytes(path));
    }

    [Fact]
    public void ACheckpointOfOtherLayersIsRefusedNamingTheFileAndTensor()
    {
        string path = folder.File("tiny.safetensors");
        Assert.True(Checkpoint.Save(EquivalentNetworks.TinyDigits.Initialize(1), path).IsRight);

        string message = Checkpoint.Load(EquivalentNetworks.Checkpoint, path).Match(Right: _ => "loaded", Left: error => error.Message);

        Assert.StartsWith(path + ": ", message);
        Assert.Contains("conv1.weight", message);
    }

    // A Conv2d with the fixture's hyperparameters; the general cases add dilation, groups and padding='same', for which
    // the fixture records the padding PyTorch chose, which the layer must work out itself.
    private static void AssertConvolutionMatches(FixtureCase fixture, bool general)
    {
        bool same = general && fixture.Bool("same");
        var layer = new Conv2d(fixture.Int("out_channels"))
        {
            Kernel = (fixture.Int("kernel_h"), fixture.Int("kernel_w")),
            Stride = (fixture.Int("stride_h"), fixture.Int("stride_w")),
            Padding = same ? 0 : (fixture.Int("padding_h"), fixture.Int("padding_w")),
            PaddingMode = same ? "same" : null,
            Dilation = general ? (fixture.Int("dilation_h"), fixture.Int("dilation_w")) : 1,
            Groups = general ? fixture.Int("groups") : 1,
            Bias = fixture.Bool("bias"),
        };
        AssertMatches(fixture, (fixture.Int("in_channels"), fixture.Int("height"), fixture.Int("width")), [layer]);
    }

    // The layers, holding the fixture's weight and bias, give PyTorch's output and parameter gradients.
    private static void AssertMatches(FixtureCase fixture, (int, int, int) input, Layer[] layers)
    {
        Sequential network = EquivalentNetworks.Build(input, fixture.Name, layers);
        float[] parameters = [.. fixture.Tensor("weight").Values, .. fixture.Has("bias") ? fixture.Tensor("bias").Values : []];
        int batch = fixture.Int("batch");
        NetworkWorkspace workspace = network.CreateWorkspace(batch);
        fixture.Tensor("input").Values.CopyTo(workspace.Input);

        workspace.Forward(network.FromParameters(ParameterSet.Create(network.Layout.Parameters, parameters)).Parameters.Values, batch, training: true, seed: 0);
        NumericAssert.Matches(fixture.Tensor("output"), fixture.Tensor("output").Shape, workspace.Output, "output");

        fixture.Tensor("output_grad").Values.CopyTo(workspace.OutputGradient);
        float[] gradients = new float[parameters.Length];
        workspace.Backward(parameters, batch, gradients);
        ParameterInfo weight = network.Layout.Parameters[0];
        NumericAssert.Matches(fixture.Tensor("weight_grad"), [.. weight.Shape], gradients.AsSpan(weight.Offset, weight.Length), "weight gradient");
        if (fixture.Has("bias"))
        {
            ParameterInfo bias = network.Layout.Parameters[1];
            NumericAssert.Matches(fixture.Tensor("bias_grad"), [.. bias.Shape], gradients.AsSpan(bias.Offset, bias.Length), "bias gradient");
        }
    }

    private static (int[] Shape, float[] Data) Read(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Checkpoints, "outputs.json")));
        JsonElement tensor = document.RootElement.GetProperty(name);
        return (
            tensor.GetProperty("shape").EnumerateArray().Select(size => size.GetInt32()).ToArray(),
            tensor.GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray());
    }
}
