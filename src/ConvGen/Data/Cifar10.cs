using System.Collections.Immutable;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using ConvGen.IO;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>
/// CIFAR-10 in its binary release (<c>cifar-10-binary.tar.gz</c>): five training batches <c>data_batch_1.bin</c> to
/// <c>data_batch_5.bin</c> and <c>test_batch.bin</c>, each records of a label byte and a 32x32 colour image stored channel
/// by channel. Loads as <c>(N, 3, 32, 32)</c> pixels scaled to [0, 1] (torchvision's <c>ToTensor</c>); normalise them
/// per channel with <see cref="Dataset.ChannelStatistics"/> and <see cref="Dataset.Normalize(ReadOnlySpan{float}, ReadOnlySpan{float})"/>.
/// </summary>
public static class Cifar10
{
    /// <summary>The classes; a label is an index into <see cref="ClassNames"/>.</summary>
    public const int Classes = 10;

    /// <summary>The archive's name on the mirrors and in the cache.</summary>
    public const string ArchiveFile = "cifar-10-binary.tar.gz";

    /// <summary>The folder the archive unpacks into.</summary>
    public const string BatchesFolder = "cifar-10-batches-bin";

    /// <summary>The test batch's file name.</summary>
    public const string TestFile = "test_batch.bin";

    private const float MaximumLevel = 255f;

    /// <summary>The training batches' file names, in the order their records are concatenated.</summary>
    public static ImmutableArray<string> TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The class names of <c>batches.meta.txt</c>, in label order.</summary>
    public static ImmutableArray<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>
    /// The official archive from its authors' site, verified by the SHA-256 of the <c>.tar.gz</c> as published alongside its
    /// well-known MD5 <c>c32a1d4ab5d03f1284b67883e8d87530</c> (170,052,171 bytes).
    /// </summary>
    public static DatasetSource Source { get; } = new(
        "cifar-10",
        Classes,
        ["https://www.cs.toronto.edu/~kriz/"],
        [new DatasetFile(ArchiveFile, "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd") { HashesStoredBytes = true }]);

    /// <summary>
    /// Train (50,000 images in the release) and test (10,000) sets from <paramref name="path"/> when given (as <see cref="Load"/>;
    /// no network, no checksum), otherwise from the archive in the cache, downloading and verifying it first if missing.
    /// </summary>
    public static async Task<Either<ConvGenError, (Dataset Train, Dataset Test)>> LoadAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        if (path is not null)
        {
            return Load(path);
        }

        Either<ConvGenError, string> cached = await DatasetDownloader.FetchAsync(Source, cancellationToken: cancellationToken).ConfigureAwait(false);
        return cached.Bind(folder => Load(Path.Combine(folder, ArchiveFile)));
    }

    /// <summary>
    /// Train and test sets, named <c>"cifar-10 train"</c> and <c>"cifar-10 test"</c>, from <paramref name="path"/>: the
    /// <c>.tar.gz</c> archive, read without unpacking it, or a folder holding the six batch files, their
    /// <c>cifar-10-batches-bin</c> folder or the archive. Any file that is not whole records, or holds a label above 9, is
    /// an error naming it.
    /// </summary>
    public static Either<ConvGenError, (Dataset Train, Dataset Test)> Load(string path)
    {
        if (FileErrors.CheckPath(path) is { } badPath)
        {
            return Left<ConvGenError, (Dataset, Dataset)>(badPath);
        }

        Either<ConvGenError, IReadOnlyDictionary<string, byte[]>> batches =
            File.Exists(path) ? ReadArchive(path)
            : !Directory.Exists(path) ? Left<ConvGenError, IReadOnlyDictionary<string, byte[]>>(new ConvGenError($"{path}: no such file or folder."))
            : File.Exists(Path.Combine(path, TestFile)) ? ReadFolder(path)
            : File.Exists(Path.Combine(path, BatchesFolder, TestFile)) ? ReadFolder(Path.Combine(path, BatchesFolder))
            : File.Exists(Path.Combine(path, ArchiveFile)) ? ReadArchive(Path.Combine(path, ArchiveFile))
            : Left<ConvGenError, IReadOnlyDictionary<string, byte[]>>(new ConvGenError(
                $"{path}: holds neither {TestFile} and the training batches, nor a {BatchesFolder} folder with them, nor {ArchiveFile}."));
        return batches.Bind(files =>
            from train in ToDataset("cifar-10 train", [.. TrainFiles.Select(name => files[name])])
            from test in ToDataset("cifar-10 test", [files[TestFile]])
            select (train, test));
    }

    private static IEnumerable<string> AllFiles => TrainFiles.Append(TestFile);

    private static Either<ConvGenError, IReadOnlyDictionary<string, byte[]>> ReadFolder(string folder)
    {
        var files = new Dictionary<string, byte[]>();
        foreach (string name in AllFiles)
        {
            string path = Path.Combine(folder, name);
            Either<ConvGenError, byte[]> records = File.Exists(path)
                ? CifarBatchReader.ReadFile(path, Classes)
                : Left<ConvGenError, byte[]>(new ConvGenError($"{folder}: holds {TestFile} but not {name}; CIFAR-10 needs {string.Join(", ", AllFiles)}."));
            if (records.Case is ConvGenError error)
            {
                return Left<ConvGenError, IReadOnlyDictionary<string, byte[]>>(error);
            }

            files[name] = (byte[])records.Case!;
        }

        return files;
    }

    // The batches straight from the archive, one entry after another, never written to disk.
    private static Either<ConvGenError, IReadOnlyDictionary<string, byte[]>> ReadArchive(string path)
    {
        var files = new Dictionary<string, byte[]>();
        try
        {
            using FileStream file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                string name = Path.GetFileName(entry.Name);
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !AllFiles.Contains(name))
                {
                    continue;
                }

                if (files.ContainsKey(name))
                {
                    return new ConvGenError($"{path}: holds {name} twice, the second time as {entry.Name}.");
                }

                Either<ConvGenError, byte[]> records = CifarBatchReader.Read(entry.DataStream ?? Stream.Null, $"{path}, {entry.Name}", entry.Length, sizeIsTheFiles: false, Classes);
                if (records.Case is ConvGenError error)
                {
                    return error;
                }

                files[name] = (byte[])records.Case!;
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException)
        {
            return new ConvGenError($"{path}: not a valid .tar.gz archive ({exception.Message})");
        }
        catch (Exception exception) when (FileErrors.IsFileProblem(exception))
        {
            return FileErrors.Reading(path, exception);
        }

        string[] missing = [.. AllFiles.Where(name => !files.ContainsKey(name))];
        return missing.Length == 0
            ? files
            : new ConvGenError($"{path}: the archive holds no {string.Join(", ", missing)}; CIFAR-10 needs {string.Join(", ", AllFiles)}.");
    }

    // The records of one split, concatenated in order, as pixels in [0, 1] and class indices.
    private static Either<ConvGenError, Dataset> ToDataset(string name, byte[][] batches)
    {
        long records = batches.Sum(batch => (long)(batch.Length / CifarBatchReader.RecordBytes));
        long values = records * CifarBatchReader.ImageBytes, pixelBytes = values * sizeof(float), available = RunMemory.AvailableBytes(collect: false);
        if (values > System.Array.MaxLength || pixelBytes > available)
        {
            // Checked before the float32 pixels exist: batches that fit as bytes cannot exhaust memory four times over.
            return new ConvGenError(string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: {records:N0} images of 3x32x32 take {pixelBytes:N0} bytes as float32 pixels; one array holds at most {System.Array.MaxLength:N0} values and this process may still use {available:N0} bytes."));
        }

        float[] pixels = new float[records * CifarBatchReader.ImageBytes];
        int[] labels = new int[records];
        int sample = 0;
        foreach (byte[] batch in batches)
        {
            for (int offset = 0; offset < batch.Length; offset += CifarBatchReader.RecordBytes, sample++)
            {
                labels[sample] = batch[offset];
                Span<float> image = pixels.AsSpan(sample * CifarBatchReader.ImageBytes, CifarBatchReader.ImageBytes);
                ReadOnlySpan<byte> levels = batch.AsSpan(offset + 1, CifarBatchReader.ImageBytes);
                for (int i = 0; i < image.Length; i++)
                {
                    image[i] = levels[i] / MaximumLevel;
                }
            }
        }

        return Dataset.Own(name, pixels, labels, channels: 3, height: 32, width: 32, Classes);
    }
}
