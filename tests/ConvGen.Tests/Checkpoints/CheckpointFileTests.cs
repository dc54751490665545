using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ConvGen.Checkpoints;

namespace ConvGen.Tests.Checkpoints;

/// <summary>
/// Checkpoint files: the bytes ConvGen writes, read back by an independent parser here; saving and loading; and every
/// kind of damaged or mismatched file refused with a message naming the file and the tensor.
/// </summary>
public sealed class CheckpointFileTests : IDisposable
{
    // CheckpointNet's tensors in state_dict() order with their byte ranges: 72, 4, 96, 120 and 5 float32 values.
    private static readonly (string Key, int[] Shape, long Begin, long End)[] ExpectedTensors =
    [
        ("conv1.weight", [4, 2, 3, 3], 0, 288),
        ("conv1.bias", [4], 288, 304),
        ("conv2.weight", [6, 4, 2, 2], 304, 688),
        ("fc1.weight", [5, 24], 688, 1168),
        ("fc1.bias", [5], 1168, 1188),
    ];

    private const string ExpectedKeys = "conv1.weight, conv1.bias, conv2.weight, fc1.weight, fc1.bias";

    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void TheBytesWrittenAreSafetensorsWithPyTorchKeysAndShapes()
    {
        CheckpointNet model = CheckpointNet.WithFormulaParameters();
        byte[] file = Genuine();

        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        Assert.Equal(0, (8 + headerLength) % 8);
        Assert.Equal(8 + headerLength + 1188, file.Length);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        Assert.Equal(
            ["__metadata__", .. ExpectedTensors.Select(tensor => tensor.Key)],
            header.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("""{"format":"pt","convgen.network":"CheckpointNet"}""", header.RootElement.GetProperty("__metadata__").GetRawText());
        foreach ((string key, int[] shape, long begin, long end) in ExpectedTensors)
        {
            JsonElement entry = header.RootElement.GetProperty(key);
            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            Assert.Equal(shape, entry.GetProperty("shape").EnumerateArray().Select(size => size.GetInt32()));
            Assert.Equal([begin, end], entry.GetProperty("data_offsets").EnumerateArray().Select(offset => offset.GetInt64()));
            float[] stored = Enumerable.Range(0, (int)(end - begin) / 4)
                .Select(i => BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan((int)(8 + headerLength + begin + 4 * i))))
                .ToArray();
            Assert.Equal(model.Parameters[key].ToArray(), stored);
        }
    }

    [Fact]
    public void SavingThenLoadingGivesTheSameNetwork()
    {
        CheckpointNet model = CheckpointNet.Initialize(seed: 5);
        string path = folder.File("nested/model.safetensors");

        Assert.True(Checkpoint.Save(model, path).IsRight);
        CheckpointNet loaded = Load(path).Match(Right: network => network, Left: error => throw new InvalidOperationException(error.Message));

        Assert.Equal(model.Parameters.Values.ToArray(), loaded.Parameters.Values.ToArray());
        Assert.Equal(["model.safetensors"], Directory.GetFiles(folder.File("nested")).Select(Path.GetFileName));
    }

    [Fact]
    public void SavingReplacesTheCheckpoint()
    {
        string path = folder.File("model.safetensors");
        Checkpoint.Save(CheckpointNet.Initialize(seed: 1), path);
        CheckpointNet second = CheckpointNet.Initialize(seed: 2);

        Checkpoint.Save(second, path);

        Assert.Equal(second.Parameters.Values.ToArray(), Load(path).Match(Right: network => network.Parameters.Values.ToArray(), Left: _ => []));
    }

    [Fact]
    public void AFailedSaveIsAnErrorValueAndLeavesNoTemporaryFile()
    {
        string path = folder.File("taken");
        Directory.CreateDirectory(path);

        string error = Checkpoint.Save(CheckpointNet.Initialize(seed: 1), path).Match(Right: _ => "saved", Left: failure => failure.Message);

        Assert.StartsWith(path + ": cannot be written (", error);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void AMissingFileIsAnErrorValue() =>
        Assert.Equal(folder.File("absent.safetensors") + ": no such file.", LoadError(folder.File("absent.safetensors")));

    [Fact]
    public void ATruncatedFileIsRefused() =>
        Assert.Equal("{path}: truncated: the tensors need 1188 bytes of data but only 1184 follow the header.", LoadError(Genuine()[..^4]));

    [Fact]
    public void AFileLongerThanItsHeaderSaysIsRefused() =>
        Assert.Equal(
            "{path}: 4 bytes follow the last tensor, fc1.bias; the file is longer than its header describes.",
            LoadError([.. Genuine(), 0, 0, 0, 0]));

    [Fact]
    public void AFileTooShortForTheHeaderLengthIsRefused() =>
        Assert.Equal("{path}: 3 bytes are too few for a safetensors file, which starts with an 8-byte header length.", LoadError([1, 2, 3]));

    [Fact]
    public void AnAbsurdHeaderLengthIsRefusedBeforeReadingIt()
    {
        byte[] file = Genuine();
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1UL << 40);

        Assert.Equal(
            "{path}: the header length is 1099511627776 bytes, over the format's limit of 100,000,000: this is not a safetensors file or it is corrupt.",
            LoadError(file));
    }

    [Fact]
    public void AHeaderLengthBeyondTheFileIsRefused()
    {
        byte[] file = Genuine();
        BinaryPrimitives.WriteUInt64LittleEndian(file, 5000);

        Assert.Equal($"{{path}}: truncated: the header length is 5000 bytes but only {file.Length - 8} bytes follow.", LoadError(file));
    }

    [Fact]
    public void AHeaderThatIsNotJsonIsRefused() =>
        Assert.StartsWith("{path}: the header is not valid JSON (", LoadError(Build("{\"conv1.weight\": [", Data())));

    [Fact]
    public void ATamperedShapeIsRefusedWithBothShapes() =>
        Assert.Equal(
            "{path}: conv1.weight: expected shape (4, 2, 3, 3) but the file has (4, 2, 1, 9).",
            LoadError(Tampered(header => header.Replace("[4,2,3,3]", "[4,2,1,9]"))));

    [Fact]
    public void AMissingKeyIsRefused() =>
        Assert.Equal(
            $"{{path}}: missing conv2.weight; the network expects {ExpectedKeys}.",
            LoadError(Tampered(header => Regex.Replace(header, "\"conv2\\.weight\":\\{[^}]*\\},", ""))));

    [Fact]
    public void AnUnexpectedKeyIsRefused() =>
        Assert.Equal(
            $"{{path}}: unexpected conv2.bias; the network expects only {ExpectedKeys}.",
            LoadError(Tampered(
                header => header.Replace("}}", "},\"conv2.bias\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[1188,1212]}}"),
                data => [.. data, .. new byte[24]])));

    [Fact]
    public void AnotherDtypeIsRefused() =>
        Assert.Equal(
            "{path}: conv1.bias: the dtype is F16 but ConvGen reads only F32.",
            LoadError(Tampered(header => header.Replace("\"conv1.bias\":{\"dtype\":\"F32\"", "\"conv1.bias\":{\"dtype\":\"F16\""))));

    [Fact]
    public void OffsetsThatDoNotMatchTheShapeAreRefused() =>
        Assert.Equal(
            "{path}: fc1.bias: data_offsets [1168, 1184] span 16 bytes but shape (5) in F32 needs 20.",
            LoadError(Tampered(header => header.Replace("[1168,1188]", "[1168,1184]"))));

    [Fact]
    public void OverlappingOffsetsAreRefused() =>
        Assert.Equal(
            "{path}: conv1.bias: data_offsets [280, 296] overlap conv1.weight, which ends at 288.",
            LoadError(Tampered(header => header.Replace("[288,304]", "[280,296]"))));

    [Fact]
    public void AGapBetweenTensorsIsRefused() =>
        Assert.Equal(
            "{path}: fc1.bias: data_offsets [1172, 1192] leave 4 bytes after fc1.weight that belong to no tensor.",
            LoadError(Tampered(header => header.Replace("[1168,1188]", "[1172,1192]"), data => [.. data, 0, 0, 0, 0])));

    [Fact]
    public void AMalformedEntryIsRefused() =>
        Assert.Equal(
            "{path}: conv1.bias: the entry needs \"dtype\" (a string), \"shape\" (sizes >= 0) and \"data_offsets\" ([begin, end], 0 <= begin <= end).",
            LoadError(Tampered(header => header.Replace("\"shape\":[4],", "\"shape\":\"4\","))));

    [Fact]
    public void ADuplicatedKeyIsRefused() =>
        Assert.Equal(
            "{path}: fc1.bias appears twice in the header.",
            LoadError(Tampered(header => header.Replace("}}", "},\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[1168,1188]}}"))));

    [Fact]
    public void AMillionUnexpectedKeysGiveAShortMessage()
    {
        // The genuine tensors, then 1,000,000 empty ones under names the network does not have.
        var extra = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++)
        {
            extra.Append(CultureInfo.InvariantCulture, $",\"extra{i}\":{{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[1188,1188]}}");
        }

        string error = LoadError(Tampered(header => header[..^1] + extra + "}"));

        Assert.Equal(
            "{path}: unexpected extra0, extra1, extra2, extra3, extra4, extra5, extra6, extra7, extra8, extra9 and 999,990 more; " +
            $"the network expects only {ExpectedKeys}.",
            error);
    }

    [Fact]
    public void SpecialFilesAreRefusedWithoutReadingThem()
    {
        string pipe = folder.File("pipe.safetensors");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe])!)
        {
            mkfifo.WaitForExit();
        }

        // On a thread, so that a Load that waits for a writer (a pipe) or reads for ever (/dev/zero) fails the test instead of hanging it.
        string[] errors = new string[2];
        var loading = new Thread(() =>
        {
            errors[0] = LoadError("/dev/zero");
            errors[1] = LoadError(pipe);
        });
        loading.Start();

        Assert.True(loading.Join(TimeSpan.FromSeconds(30)), "Load of /dev/zero or of a pipe did not return");
        Assert.Equal("/dev/zero: 0 bytes (an empty file, a pipe or a device) are too few for a safetensors file, which starts with an 8-byte header length.", errors[0]);
        Assert.Equal($"{pipe}: 0 bytes (an empty file, a pipe or a device) are too few for a safetensors file, which starts with an 8-byte header length.", errors[1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyPathIsAnErrorValue(string path)
    {
        string expected = $"The path '{path}' is empty; a file name is needed.";

        Assert.Equal(expected, LoadError(path));
        Assert.Equal(expected, Checkpoint.Save(CheckpointNet.WithFormulaParameters(), path).Match(Right: _ => "saved", Left: error => error.Message));
        Assert.Equal(expected, ConvGen.Data.IdxReader.ReadImages(path).Match(Right: _ => "read", Left: error => error.Message));
        Assert.Equal(expected, ConvGen.Data.IdxDataset.Load(path, ConvGen.Data.DatasetSource.Mnist).Match(Right: _ => "read", Left: error => error.Message));
        Assert.Equal(expected, ConvGen.Data.DigitsData.Load(path).Match(Right: _ => "read", Left: error => error.Message));
    }

    [Fact]
    public void ASaveRemovesTemporaryFilesThatKilledWritersLeftAnHourAgoAndNoOthers()
    {
        string path = folder.File("model.safetensors");
        string stale = folder.File($".model.safetensors.{Guid.NewGuid():N}.tmp"), live = folder.File($".model.safetensors.{Guid.NewGuid():N}.tmp");
        string otherTarget = folder.File($".other.safetensors.{Guid.NewGuid():N}.tmp"), notOurs = folder.File(".model.safetensors.notes.tmp");
        foreach (string file in new[] { stale, live, otherTarget, notOurs })
        {
            File.WriteAllText(file, "partial");
            File.SetLastWriteTimeUtc(file, file == live ? DateTime.UtcNow : DateTime.UtcNow.AddHours(-2));
        }

        Assert.True(Checkpoint.Save(CheckpointNet.WithFormulaParameters(), path).IsRight);

        Assert.False(File.Exists(stale), "a temporary file untouched for two hours was left");
        Assert.True(File.Exists(live), "a temporary file being written now was removed");
        Assert.True(File.Exists(otherTarget), "another target's temporary file was removed");
        Assert.True(File.Exists(notOurs), "a file whose name ConvGen never makes was removed");
    }

    private static byte[] Genuine()
    {
        var buffer = new MemoryStream();
        SafeTensors.Write(buffer, CheckpointNet.WithFormulaParameters().Parameters, [new("format", "pt"), new("convgen.network", "CheckpointNet")]);
        return buffer.ToArray();
    }

    private static string Header() => Encoding.UTF8.GetString(Genuine().AsSpan(8, (int)BinaryPrimitives.ReadInt64LittleEndian(Genuine()))).TrimEnd(' ');

    private static byte[] Data() => Genuine()[^1188..];

    /// <summary>A file from the genuine one with its header JSON and its data changed.</summary>
    private static byte[] Tampered(Func<string, string> header, Func<byte[], byte[]>? data = null)
    {
        string changed = header(Header());
        Assert.NotEqual(Header(), changed);
        return Build(changed, data is null ? Data() : data(Data()));
    }

    private static byte[] Build(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    private static LanguageExt.Either<ConvGenError, CheckpointNet> Load(string path) => Checkpoint.Load<CheckpointNet>(path);

    private static string LoadError(string path) => Load(path).Match(Right: _ => "loaded", Left: error => error.Message);

    /// <summary>The error for <paramref name="file"/>, with its path shown as <c>{path}</c>.</summary>
    private string LoadError(byte[] file)
    {
        string path = folder.File("damaged.safetensors");
        File.WriteAllBytes(path, file);
        return LoadError(path).Replace(path, "{path}");
    }
}
