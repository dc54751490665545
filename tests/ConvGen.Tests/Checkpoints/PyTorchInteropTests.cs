using System.Runtime.CompilerServices;
using System.Text.Json;
using ConvGen.Checkpoints;
using ConvGen.Training;

namespace ConvGen.Tests.Checkpoints;

/// <summary>
/// Checkpoints crossing between ConvGen and PyTorch, both ways, through files in <c>Fixtures/checkpoints/</c> that
/// <c>tools/fixtures/make_checkpoint_fixtures.py</c> makes (CI has no Python, so nothing here runs it):
/// <list type="bullet">
/// <item>PyTorch to ConvGen: PyTorch saved a seeded <c>CheckpointNet</c>'s state_dict with its tensors in another order
/// than ours; ConvGen loads it and must give PyTorch's outputs for the same inputs.</item>
/// <item>ConvGen to PyTorch: <c>convgen_net.safetensors</c> is what ConvGen writes for fixed parameters. This test
/// insists ConvGen still writes exactly those bytes, and PyTorch's outputs for that file (read by the script's own
/// strict reader, loaded with <c>strict=True</c>) must equal ConvGen's. So PyTorch's reading of today's writer is
/// checked without Python. To accept a deliberate format change, run with <c>CONVGEN_ACCEPT_SNAPSHOTS=1</c>, then
/// rerun the script.</item>
/// </list>
/// </summary>
public sealed class PyTorchInteropTests : IDisposable
{
    private const string AcceptVariable = "CONVGEN_ACCEPT_SNAPSHOTS";
    private const float Tolerance = 1e-4f;

    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints");

    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void PyTorchsWeightsGivePyTorchsOutputs()
    {
        CheckpointNet model = Checkpoint.Load<CheckpointNet>(Path.Combine(Fixtures, "pytorch_net.safetensors"))
            .Match(Right: network => network, Left: error => throw new InvalidOperationException(error.Message));

        AssertClose(Tensor("pytorch_net_output"), Predict(model));
    }

    [Fact]
    public void ConvGenWritesTheCommittedCheckpointByteForByte()
    {
        string path = folder.File("convgen_net.safetensors");
        Assert.True(Checkpoint.Save(CheckpointNet.WithFormulaParameters(), path).IsRight);
        byte[] written = File.ReadAllBytes(path);
        string committed = Path.Combine(Fixtures, "convgen_net.safetensors");

        if (File.Exists(committed) && File.ReadAllBytes(committed).AsSpan().SequenceEqual(written))
        {
            return;
        }

        string source = SourceFixtures();
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllBytes(Path.Combine(source, "convgen_net.safetensors"), written);
            return;
        }

        File.WriteAllBytes(Path.Combine(source, "convgen_net.received.safetensors"), written);
        Assert.Fail(
            $"ConvGen no longer writes the committed {committed} (new bytes in convgen_net.received.safetensors). " +
            $"If the change is intended, run the tests with {AcceptVariable}=1, then /usr/bin/python3 tools/fixtures/make_checkpoint_fixtures.py.");
    }

    [Fact]
    public void PyTorchComputesWhatConvGenDoesFromConvGensCheckpoint()
    {
        AssertClose(Tensor("convgen_net_output"), Predict(CheckpointNet.WithFormulaParameters()));
    }

    private static float[] Predict(CheckpointNet model)
    {
        (int[] shape, float[] input) = Read("input");
        return model.Predict(input, shape[0]);
    }

    private static float[] Tensor(string name) => Read(name).Data;

    private static (int[] Shape, float[] Data) Read(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Fixtures, "outputs.json")));
        if (!document.RootElement.TryGetProperty(name, out JsonElement tensor))
        {
            throw new InvalidOperationException($"outputs.json has no '{name}'; run /usr/bin/python3 tools/fixtures/make_checkpoint_fixtures.py.");
        }

        return (
            tensor.GetProperty("shape").EnumerateArray().Select(size => size.GetInt32()).ToArray(),
            tensor.GetProperty("data").EnumerateArray().Select(value => value.GetSingle()).ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"output {i}: PyTorch gives {expected[i]}, ConvGen {actual[i]}");
        }
    }

    private static string SourceFixtures([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Fixtures", "checkpoints");
}
