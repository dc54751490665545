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
/// Both for <c>CheckpointNet</c> and, with files prefixed <c>batchnorm_</c>, for <see cref="BatchNormNet"/>, whose
/// state adds BatchNorm's buffers (an int64 batch count among them) and whose evaluation outputs depend on them.
/// </summary>
public sealed class PyTorchInteropTests : IDisposable
{
    private const string AcceptVariable = "CONVGEN_ACCEPT_SNAPSHOTS";
    private const float Tolerance = 1e-4f;

    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints");

    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private const string BatchNorm = "batchnorm_";

    /// <summary>The file-name prefix of each network's fixtures.</summary>
    public static TheoryData<string> Networks => new(string.Empty, BatchNorm);

    [Theory]
    [MemberData(nameof(Networks))]
    public void PyTorchsWeightsGivePyTorchsOutputs(string prefix)
    {
        string path = Path.Combine(Fixtures, prefix + "pytorch_net.safetensors");
        AssertClose(Tensor(prefix + "pytorch_net_output"), prefix == BatchNorm ? Predict(Load<BatchNormNet>(path)) : Predict(Load<CheckpointNet>(path)));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ConvGenWritesTheCommittedCheckpointByteForByte(string prefix)
    {
        string name = prefix + "convgen_net.safetensors", path = folder.File(name);
        Assert.True((prefix == BatchNorm ? Checkpoint.Save(BatchNormNet.WithFormulaParameters(), path) : Checkpoint.Save(CheckpointNet.WithFormulaParameters(), path)).IsRight);
        byte[] written = File.ReadAllBytes(path);
        string committed = Path.Combine(Fixtures, name);

        if (File.Exists(committed) && File.ReadAllBytes(committed).AsSpan().SequenceEqual(written))
        {
            return;
        }

        string source = SourceFixtures();
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllBytes(Path.Combine(source, name), written);
            return;
        }

        string received = prefix + "convgen_net.received.safetensors";
        File.WriteAllBytes(Path.Combine(source, received), written);
        Assert.Fail(
            $"ConvGen no longer writes the committed {committed} (new bytes in {received}). " +
            $"If the change is intended, run the tests with {AcceptVariable}=1, then /usr/bin/python3 tools/fixtures/make_checkpoint_fixtures.py.");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void PyTorchComputesWhatConvGenDoesFromConvGensCheckpoint(string prefix)
    {
        AssertClose(Tensor(prefix + "convgen_net_output"), prefix == BatchNorm ? Predict(BatchNormNet.WithFormulaParameters()) : Predict(CheckpointNet.WithFormulaParameters()));
    }

    private static TNet Load<TNet>(string path)
        where TNet : class, INetwork<TNet> =>
        Checkpoint.Load<TNet>(path).Match(Right: network => network, Left: error => throw new InvalidOperationException(error.Message));

    private static float[] Predict<TNet>(TNet model)
        where TNet : class, INetwork<TNet>
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
