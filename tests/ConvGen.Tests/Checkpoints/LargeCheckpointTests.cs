using ConvGen.Checkpoints;
using ConvGen.Layers;

namespace ConvGen.Tests.Checkpoints;

/// <summary>
/// A checkpoint over 2 GiB, past what one byte array holds: saved and loaded by streaming, every value back as it went.
/// Alone in the process: it holds two copies of 2 GiB of parameters.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class LargeCheckpointTests
{
    [Fact]
    public void ACheckpointOver2GiBSavesAndLoadsEveryValue()
    {
        // 23,171 x 23,171 weights and their biases: 536,918,412 float32 values, 2,147,673,648 bytes of data.
        const int Features = 23171;
        Sequential network = Sequential.Create((1, 1, Features), [new Flatten(), new Linear(Features, Features)], name: "WideNet")
            .Match(Succ: created => created, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
        float[] values = new float[network.Layout.ParameterCount];
        for (int i = 0; i < values.Length; i++)
        {
            // Distinct at every offset a misplaced chunk could land on: the index's low bits and a count of 2^20 blocks.
            values[i] = (i & 0xFFFFF) + (i >> 20) / 1024f;
        }

        using var work = new TemporaryFolder();
        string path = work.File("wide.safetensors");
        SequentialNetwork model = network.FromParameters(ParameterSet.Create(network.Layout.Parameters, values));

        Assert.True(Checkpoint.Save(model, path).IsRight);
        Assert.True(new FileInfo(path).Length > (2L << 30), "the checkpoint is not over 2 GiB");
        SequentialNetwork loaded = Checkpoint.Load(network, path).Match(Right: read => read, Left: error => throw new InvalidOperationException(error.Message));

        Assert.True(loaded.Parameters.Values.SequenceEqual(values), "a value came back different");
    }
}
