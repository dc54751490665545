using System.Security.Cryptography;
using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>
/// CIFAR-10's binary release read from small batches in its exact format: a folder of the six files, their
/// <c>cifar-10-batches-bin</c> folder, or the <c>.tar.gz</c>; every malformed file refused with a message naming it.
/// </summary>
public sealed class Cifar10Tests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void AFolderOfBatchesLoadsAsChannelPlanarImagesInUnitRange()
    {
        CifarFiles.Write(folder.Path, CifarFiles.Release());

        (Dataset train, Dataset test) = Load(folder.Path);

        Assert.Equal("cifar-10 train: 10 samples of 3x32x32, 10 classes", train.ToString());
        Assert.Equal("cifar-10 test: 3 samples of 3x32x32, 10 classes", test.ToString());
        // The five training batches in order, two records each.
        Assert.Equal([0, 5, 1, 6, 2, 7, 3, 8, 4, 9], train.Labels.ToArray());
        Assert.Equal([3, 7, 0], test.Labels.ToArray());
        // Sample 7 is batch 4's second record; pixel (green, row 5, column 30) sits at 1*1024 + 5*32 + 30 in NCHW.
        Assert.Equal(CifarFiles.Level(4, 1, 1, 5, 30) / 255f, train.Images[(7 * 3072) + 1024 + 160 + 30]);
        Assert.Equal(CifarFiles.Level(6, 2, 2, 31, 0) / 255f, test.Images[(2 * 3072) + 2048 + 992]);
        for (int sample = 0; sample < train.Count; sample++)
        {
            for (int i = 0; i < 3072; i++)
            {
                Assert.Equal(CifarFiles.Level((sample / 2) + 1, sample % 2, i / 1024, i / 32 % 32, i % 32) / 255f, train.Images[(sample * 3072) + i]);
            }
        }
    }

    [Fact]
    public void TheArchiveAndTheUnpackedFolderGiveTheSameData()
    {
        CifarFiles.Write(Path.Combine(folder.Path, "unpacked", Cifar10.BatchesFolder), CifarFiles.Release());
        File.WriteAllBytes(folder.File(Cifar10.ArchiveFile), CifarFiles.Archive(CifarFiles.Release()));
        Directory.CreateDirectory(folder.File("cache"));
        File.Copy(folder.File(Cifar10.ArchiveFile), Path.Combine(folder.File("cache"), Cifar10.ArchiveFile));

        (Dataset train, Dataset test) = Load(folder.File("unpacked"));
        foreach (string path in new[] { folder.File(Cifar10.ArchiveFile), folder.File("cache") })
        {
            (Dataset archivedTrain, Dataset archivedTest) = Load(path);
            Assert.Equal(train.Images.ToArray(), archivedTrain.Images.ToArray());
            Assert.Equal(train.Labels.ToArray(), archivedTrain.Labels.ToArray());
            Assert.Equal(test.Images.ToArray(), archivedTest.Images.ToArray());
            Assert.Equal(test.Labels.ToArray(), archivedTest.Labels.ToArray());
        }
    }

    [Fact]
    public async Task AGivenPathNeedsNoNetwork()
    {
        CifarFiles.Write(folder.Path, CifarFiles.Release());

        var loaded = await Cifar10.LoadAsync(folder.Path);

        Assert.Equal("cifar-10 test: 3 samples of 3x32x32, 10 classes", loaded.Match(Right: sets => sets.Test.ToString(), Left: error => error.Message));
    }

    [Fact]
    public void TheSourceIsTheOfficialArchiveCheckedAsStored()
    {
        DatasetFile archive = Assert.Single(Cifar10.Source.Files);

        Assert.Equal("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", Cifar10.Source.Mirrors[0] + archive.FileName);
        Assert.True(archive.HashesStoredBytes);
        Assert.Matches("^[0-9a-f]{64}$", archive.Sha256);
    }

    [Fact]
    public void AnEmptyBatchIsRefused()
    {
        Assert.Equal(
            "{file}: is empty; a CIFAR-10 batch is records of 3,073 bytes, a label byte and 3,072 pixel bytes each.",
            ErrorWith("data_batch_3.bin", []));
    }

    [Theory]
    [InlineData(1, "holds 6,147 bytes, not a whole number of 3,073-byte records: 2 records and 1 bytes of a cut-off one.")]
    [InlineData(-1, "holds 6,145 bytes, not a whole number of 3,073-byte records: 1 records and 3,072 bytes of a cut-off one.")]
    [InlineData(-3072, "holds 3,074 bytes, not a whole number of 3,073-byte records: 1 records and 1 bytes of a cut-off one.")]
    public void ABatchOfPartRecordsIsRefused(int extraBytes, string message)
    {
        byte[] batch = CifarFiles.Batch(1, 0, 5);
        byte[] content = extraBytes > 0 ? [.. batch, .. new byte[extraBytes]] : batch[..(batch.Length + extraBytes)];

        Assert.Equal("{file}: " + message, ErrorWith("data_batch_1.bin", content));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(255)]
    public void ALabelOutsideTheTenClassesIsRefused(byte label)
    {
        Assert.Equal(
            $"{{file}}: record 2 has label {label}, outside the 10 classes 0..9.",
            ErrorWith("test_batch.bin", CifarFiles.Batch(6, 1, 9, label, 2)));
    }

    [Fact]
    public void AMissingBatchIsNamed()
    {
        var files = CifarFiles.Release();
        files.Remove("data_batch_4.bin");
        CifarFiles.Write(folder.Path, files);

        Assert.Equal(
            $"{folder.Path}: holds test_batch.bin but not data_batch_4.bin; CIFAR-10 needs data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin.",
            Error(folder.Path));
    }

    [Fact]
    public void AFolderWithoutCifarFilesAndAMissingPathAreRefused()
    {
        Assert.Equal(
            $"{folder.Path}: holds neither test_batch.bin and the training batches, nor a cifar-10-batches-bin folder with them, nor cifar-10-binary.tar.gz.",
            Error(folder.Path));
        Assert.Equal($"{folder.File("absent")}: no such file or folder.", Error(folder.File("absent")));
        Assert.Equal("The path '' is empty; a file name is needed.", Error(string.Empty));
    }

    [Fact]
    public void AnArchiveMissingABatchIsRefused()
    {
        var files = CifarFiles.Release();
        files.Remove("test_batch.bin");
        files.Remove("data_batch_2.bin");
        string path = WriteArchive(CifarFiles.Archive(files));

        Assert.Equal(
            $"{path}: the archive holds no data_batch_2.bin, test_batch.bin; CIFAR-10 needs data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin.",
            Error(path));
    }

    [Fact]
    public void AMalformedBatchInsideTheArchiveIsNamedByItsEntry()
    {
        var files = CifarFiles.Release();
        files["data_batch_5.bin"] = CifarFiles.Batch(5, 4, 12);
        string path = WriteArchive(CifarFiles.Archive(files));

        Assert.Equal($"{path}, cifar-10-batches-bin/data_batch_5.bin: record 1 has label 12, outside the 10 classes 0..9.", Error(path));
    }

    [Fact]
    public void ABatchTwiceInTheArchiveIsRefused()
    {
        var files = CifarFiles.Release();
        byte[] archive = CifarFiles.Archive(files);
        using var tarred = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(archive), System.IO.Compression.CompressionMode.Decompress))
        {
            gzip.CopyTo(tarred);
        }

        // The same archive with its end-of-archive blocks replaced by a second copy of every entry.
        byte[] tar = tarred.ToArray();
        byte[] twice = [.. tar[..^1024], .. tar];
        string path = WriteArchive(IdxFiles.Gzip(twice));

        Assert.Equal($"{path}: holds data_batch_1.bin twice, the second time as cifar-10-batches-bin/data_batch_1.bin.", Error(path));
    }

    [Fact]
    public void AnArchiveCutShortIsRefused()
    {
        byte[] archive = CifarFiles.Archive(CifarFiles.Release());
        string path = WriteArchive(archive[..(archive.Length / 2)]);

        string error = Error(path);

        Assert.StartsWith(path, error);
        Assert.Matches("(truncated|not a valid \\.tar\\.gz archive)", error);
    }

    [Fact]
    public void AFileThatIsNotAGzippedTarIsRefused()
    {
        string notGzip = WriteArchive([.. "not an archive"u8]);
        Assert.StartsWith($"{notGzip}: not a valid .tar.gz archive (", Error(notGzip));

        string notTar = WriteArchive(IdxFiles.Gzip([.. Enumerable.Repeat((byte)'x', 2000)]));
        Assert.StartsWith($"{notTar}: not a valid .tar.gz archive (", Error(notTar));
    }

    [Fact]
    public async Task TheArchiveIsDownloadedVerifiedAsStoredAndLoaded()
    {
        byte[] archive = CifarFiles.Archive(CifarFiles.Release());
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]> { ["/a/" + Cifar10.ArchiveFile] = archive, ["/b/" + Cifar10.ArchiveFile] = [.. archive, 0] });
        DatasetSource source = Cifar10.Source with
        {
            Name = "tiny-cifar",
            Mirrors = [server.Url("b"), server.Url("a")],
            Files = [Cifar10.Source.Files[0] with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(archive)) }],
        };
        using var cache = new TemporaryFolder();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

        string cached = (await DatasetDownloader.FetchAsync(source, http, cache.Path)).Match(Right: path => path, Left: error => throw new InvalidOperationException(error.Message));

        Assert.Equal(archive, File.ReadAllBytes(Path.Combine(cached, Cifar10.ArchiveFile)));
        Assert.Equal(10, Load(cached).Train.Count);
        Assert.True(DatasetDownloader.Verify(source, cached).IsRight);
        File.WriteAllBytes(Path.Combine(cached, Cifar10.ArchiveFile), [.. archive, 0]);
        Assert.StartsWith(
            $"{Path.Combine(cached, Cifar10.ArchiveFile)}: the SHA-256 of the file is {Convert.ToHexStringLower(SHA256.HashData([.. archive, 0]))} but",
            DatasetDownloader.Verify(source, cached).Match(Right: _ => "verified", Left: error => error.Message));
    }

    private static (Dataset Train, Dataset Test) Load(string path) =>
        Cifar10.Load(path).Match(Right: sets => sets, Left: error => throw new InvalidOperationException(error.Message));

    private static string Error(string path) => Cifar10.Load(path).Match(Right: _ => "loaded", Left: error => error.Message);

    // The release with one file replaced, loaded from a folder; "{file}" stands for that file's path in the message.
    private string ErrorWith(string name, byte[] content)
    {
        var files = CifarFiles.Release();
        files[name] = content;
        CifarFiles.Write(folder.Path, files);
        return Error(folder.Path).Replace(folder.File(name), "{file}", StringComparison.Ordinal);
    }

    private string WriteArchive(byte[] archive)
    {
        string path = folder.File(Cifar10.ArchiveFile);
        File.WriteAllBytes(path, archive);
        return path;
    }
}
