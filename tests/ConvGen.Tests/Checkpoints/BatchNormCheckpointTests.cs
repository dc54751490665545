using System.Text;
using System.Text.Json;
using ConvGen.Checkpoints;

namespace ConvGen.Tests.Checkpoints;

/// <summary>
/// BatchNorm's state in safetensors as PyTorch keeps it: running statistics as F32 tensors beside the weights, the batch
/// count as an int64 scalar (shape <c>[]</c>); a file with a float count is refused as any wrong dtype is.
/// </summary>
public sealed class BatchNormCheckpointTests
{
    private const string Count = "bn1.num_batches_tracked";

    [Fact]
    public void TheBatchCountIsAnInt64ScalarAndEveryValueRoundTrips()
    {
        BatchNormNet model = BatchNormNet.WithFormulaParameters();
        byte[] file = Write(model);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)BitConverter.ToUInt64(file, 0)));

        JsonElement count = header.RootElement.GetProperty(Count);
        Assert.Equal("I64", count.GetProperty("dtype").GetString());
        Assert.Equal(0, count.GetProperty("shape").GetArrayLength());
        Assert.Equal("F32", header.RootElement.GetProperty("bn1.running_var").GetProperty("dtype").GetString());
        ParameterSet read = Read(file).Match(Right: parameters => parameters, Left: error => throw new InvalidOperationException(error.Message));
        Assert.Equal(model.Parameters.Values.ToArray(), read.Values.ToArray());
        Assert.Equal(7f, read[Count][0]);
    }

    [Fact]
    public void AFloatBatchCountIsRefused()
    {
        byte[] file = Write(BatchNormNet.WithFormulaParameters());
        string text = Encoding.Latin1.GetString(file); // one char per byte: the data survives the round trip
        string entry = "\"" + Count + "\":{\"dtype\":\"I64\"";
        Assert.Contains(entry, text, StringComparison.Ordinal);
        byte[] tampered = Encoding.Latin1.GetBytes(text.Replace(entry, entry.Replace("I64", "F32"), StringComparison.Ordinal));

        Assert.Equal(
            "bn.safetensors: " + Count + ": the dtype is F32 but ConvGen reads only I64.",
            Read(tampered).Match(Right: _ => "loaded", Left: error => error.Message));
    }

    private static byte[] Write(BatchNormNet model)
    {
        var buffer = new MemoryStream();
        SafeTensors.Write(buffer, model.Parameters, []);
        return buffer.ToArray();
    }

    private static LanguageExt.Either<ConvGenError, ParameterSet> Read(byte[] file) => SafeTensors.Read(file, BatchNormNet.Layout.Parameters, "bn.safetensors");
}
