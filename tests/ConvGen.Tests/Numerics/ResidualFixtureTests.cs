using System.Runtime.CompilerServices;
using System.Text.Json;
using ConvGen.Checkpoints;
using ConvGen.Tests.Training;
using ConvGen.Training;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// The generated forward and backward passes of a graph (<see cref="ResidualNet"/>: identity and projection shortcuts,
/// stride 2, a concatenation, BatchNorm in training and evaluation mode) against PyTorch 1.13
/// (<c>Fixtures/residual.json</c> from <c>tools/fixtures/make_residual_fixtures.py</c>): outputs, every parameter's
/// gradient, the input's gradient (read through <see cref="ResidualProbe"/>'s stem) and the running statistics, within
/// 1e-4; the state_dict keys and strict loading both ways; and central differences through the same backward pass.
/// </summary>
[Collection(AloneCollection.Name)] // one test sets the process-wide thread count
public sealed class ResidualFixtureTests : IDisposable
{
    private const float Tolerance = 1e-4f;
    private const int Batch = 2;
    private const int Pixels = 36; // 6 x 6

    private static readonly Lazy<JsonDocument> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "residual.json"))));

    private static readonly string Checkpoints = Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints");

    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static JsonElement Root => Fixture.Value.RootElement;

    public static TheoryData<string> Modes => new("training", "evaluation");

    [Fact]
    public void StateDictKeysAndShapesAreTheModuleHierarchys()
    {
        var expected = Root.GetProperty("state").EnumerateObject().Select(entry => (entry.Name, Shape(entry.Value))).OrderBy(entry => entry.Name, StringComparer.Ordinal);
        var actual = ResidualNet.Layout.Parameters.Select(parameter => (parameter.Name, parameter.Shape.ToArray())).OrderBy(entry => entry.Name, StringComparer.Ordinal);
        Assert.Equal(expected.Select(entry => entry.Name + " " + string.Join("x", entry.Item2)), actual.Select(entry => entry.Name + " " + string.Join("x", entry.Item2)));
        Assert.Contains("res2.shortcut.bn1.num_batches_tracked", ResidualNet.Layout.Parameters.Select(parameter => parameter.Name));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void OutputsGradientsAndInputGradientArePyTorchs(string mode)
    {
        JsonElement expected = Root.GetProperty(mode);
        (float[] output, float[] gradients, NetworkWorkspace workspace) = ProbePass(mode == "training", threads: null);

        AssertClose("output", Values(expected.GetProperty("output")), output);
        int checkedTensors = 0;
        foreach (JsonProperty gradient in expected.GetProperty("gradients").EnumerateObject())
        {
            ParameterInfo tensor = ResidualProbe.Layout.Parameters.Single(parameter => parameter.Name == gradient.Name);
            AssertClose(gradient.Name + " gradient", Values(gradient.Value), gradients.AsSpan(tensor.Offset, tensor.Length).ToArray());
            checkedTensors++;
        }

        Assert.Equal(ResidualNet.Layout.Parameters.Count(parameter => parameter.Trainable), checkedTensors);
        AssertClose("input gradient", Values(expected.GetProperty("input_gradient")), InputGradient(gradients));

        // Training moves the running statistics (in the workspace's copy) and counts the batch; evaluation leaves them.
        int bufferStart = ResidualProbe.Layout.TrainableCount;
        foreach (JsonProperty state in expected.GetProperty("state_after").EnumerateObject().Where(state => !Trainable(state.Name)))
        {
            ParameterInfo buffer = ResidualProbe.Layout.Parameters.Single(parameter => parameter.Name == state.Name);
            float[] after = mode == "training"
                ? workspace.UpdatedBuffers.Slice(buffer.Offset - bufferStart, buffer.Length).ToArray()
                : Values(Root.GetProperty("state").GetProperty(state.Name));
            AssertClose(state.Name + " after the pass", Values(state.Value), after);
        }
    }

    [Fact]
    public void OneThreadAndTwoGiveBitIdenticalOutputsAndGradients()
    {
        (float[] output, float[] gradients, _) = ProbePass(training: true, threads: 1);
        (float[] twoOutput, float[] twoGradients, _) = ProbePass(training: true, threads: 2);
        BitAssert.Identical(output, twoOutput, "ResidualProbe's outputs on 1 and 2 threads");
        BitAssert.Identical(gradients, twoGradients, "ResidualProbe's gradients on 1 and 2 threads");
    }

    // The same graph with tanh for the ReLUs: a central difference across a ReLU's kink measures nothing.
    [Fact]
    public void BackwardMatchesFiniteDifferencesThroughSumsAndConcatenation() =>
        GeneratedGradientTests.CheckGradients<SmoothResidualNet>(step: 1e-2f, weightedOutputs: true);

    // Residual branches that end in tanh change in place a gradient the shortcut holds too, one unit nested in another.
    [Fact]
    public void BackwardMatchesFiniteDifferencesWhereBranchesChangeASharedGradient() =>
        GeneratedGradientTests.CheckGradients<SharedGradientNet>(step: 1e-2f, weightedOutputs: true);

    [Fact]
    public void PyTorchsCheckpointLoadsStrictlyAndGivesPyTorchsOutputs()
    {
        ResidualNet network = Checkpoint.Load<ResidualNet>(Path.Combine(Checkpoints, "residual_pytorch_net.safetensors"))
            .Match(Right: loaded => loaded, Left: error => throw new InvalidOperationException(error.Message));
        AssertClose("evaluation output", Recorded("pytorch_net_output"), network.Predict(Recorded("input"), Batch));
    }

    [Fact]
    public void PyTorchLoadsConvGensCheckpointStrictlyAndComputesWhatConvGenDoes()
    {
        ResidualNet network = FixtureNet();
        string name = "residual_convgen_net.safetensors", path = folder.File(name);
        Assert.True(Checkpoint.Save(network, path).IsRight);
        byte[] written = File.ReadAllBytes(path);
        string committed = Path.Combine(Checkpoints, name);
        if (!File.Exists(committed) || !File.ReadAllBytes(committed).AsSpan().SequenceEqual(written))
        {
            if (Environment.GetEnvironmentVariable("CONVGEN_ACCEPT_SNAPSHOTS") == "1")
            {
                File.WriteAllBytes(Path.Combine(SourceCheckpoints(), name), written);
                return;
            }

            Assert.Fail($"ConvGen no longer writes the committed {name}; accept it with CONVGEN_ACCEPT_SNAPSHOTS=1, then rerun /usr/bin/python3 tools/fixtures/make_residual_fixtures.py.");
        }

        // The script read ConvGen's file with load_state_dict(strict=True) and recorded PyTorch's outputs for it.
        AssertClose("PyTorch's output from ConvGen's checkpoint", Recorded("convgen_net_output"), network.Predict(Recorded("input"), Batch));
    }

    // One training- or evaluation-mode pass of the probe from the fixture's state: output, parameter gradients, workspace.
    private static (float[] Output, float[] Gradients, NetworkWorkspace Workspace) ProbePass(bool training, int? threads)
    {
        int original = ConvGen.Kernels.KernelThreads.Count;
        try
        {
            ConvGen.Kernels.KernelThreads.Count = threads ?? original;
            float[] parameters = ProbeParameters();
            NetworkWorkspace workspace = ResidualProbe.CreateWorkspace(Batch);
            workspace.Input.Clear();
            for (int n = 0; n < Batch; n++)
            {
                for (int pixel = 0; pixel < Pixels; pixel++)
                {
                    // Sample n's channel n*36 + pixel is one at that pixel: the stem copies its weight column there.
                    workspace.Input[((n * ResidualProbe.InputChannels) + (n * Pixels) + pixel) * Pixels + pixel] = 1f;
                }
            }

            workspace.Forward(parameters, Batch, training, seed: 0);
            float[] output = workspace.Output[..(Batch * ResidualProbe.OutputSize)].ToArray();
            Values(Root.GetProperty("output_gradient")).CopyTo(workspace.OutputGradient);
            float[] gradients = new float[parameters.Length];
            workspace.Backward(parameters, Batch, gradients);
            return (output, gradients, workspace);
        }
        finally
        {
            ConvGen.Kernels.KernelThreads.Count = original;
        }
    }

    // The fixture's state at ResidualProbe's offsets, and the stem's weight: column n*36 + p holds sample n's pixel p.
    private static float[] ProbeParameters()
    {
        float[] values = new float[ResidualProbe.ParameterCount];
        Fill(values, ResidualProbe.Layout);
        ParameterInfo stem = ResidualProbe.Layout.Parameters.Single(parameter => parameter.Name == "stem.weight");
        float[] input = Values(Root.GetProperty("input"));
        int channels = stem.Shape[0];
        for (int n = 0; n < Batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int pixel = 0; pixel < Pixels; pixel++)
                {
                    values[stem.Offset + (c * ResidualProbe.InputChannels) + (n * Pixels) + pixel] = input[((n * channels) + c) * Pixels + pixel];
                }
            }
        }

        return values;
    }

    // The stem's weight gradient, back in NCHW order: the gradient of ResidualNet's input.
    private static float[] InputGradient(float[] gradients)
    {
        ParameterInfo stem = ResidualProbe.Layout.Parameters.Single(parameter => parameter.Name == "stem.weight");
        int channels = stem.Shape[0];
        float[] input = new float[Batch * channels * Pixels];
        for (int n = 0; n < Batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int pixel = 0; pixel < Pixels; pixel++)
                {
                    input[((n * channels) + c) * Pixels + pixel] = gradients[stem.Offset + (c * ResidualProbe.InputChannels) + (n * Pixels) + pixel];
                }
            }
        }

        return input;
    }

    private static ResidualNet FixtureNet()
    {
        float[] values = new float[ResidualNet.ParameterCount];
        Fill(values, ResidualNet.Layout);
        return ResidualNet.FromParameters(ParameterSet.Create(ResidualNet.Layout.Parameters, values));
    }

    private static void Fill(float[] values, NetworkLayout layout)
    {
        foreach (JsonProperty state in Root.GetProperty("state").EnumerateObject())
        {
            ParameterInfo tensor = layout.Parameters.Single(parameter => parameter.Name == state.Name);
            Values(state.Value).CopyTo(values, tensor.Offset);
        }
    }

    private static bool Trainable(string key) => ResidualNet.Layout.Parameters.Single(parameter => parameter.Name == key).Trainable;

    private static float[] Values(JsonElement tensor) => tensor.GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray();

    private static int[] Shape(JsonElement tensor) => tensor.GetProperty("shape").EnumerateArray().Select(size => size.GetInt32()).ToArray();

    private static float[] Recorded(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Checkpoints, "residual_outputs.json")));
        if (!document.RootElement.TryGetProperty(name, out JsonElement tensor))
        {
            throw new InvalidOperationException($"residual_outputs.json has no '{name}'; run /usr/bin/python3 tools/fixtures/make_residual_fixtures.py.");
        }

        return Values(tensor);
    }

    private static void AssertClose(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{what} [{i}]: PyTorch {expected[i]}, ConvGen {actual[i]}");
        }
    }

    private static string SourceCheckpoints([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Fixtures", "checkpoints");
}
