using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>
/// Downloading into the cache, against a server on 127.0.0.1 only: mirrors tried in order, checksums of the
/// decompressed content enforced, nothing unverified ever left in the cache, and a message listing every attempt.
/// </summary>
public sealed class DatasetDownloaderTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TemporaryFolder cache = new();

    private readonly Dictionary<string, byte[]> gzippedFiles = new()
    {
        ["train-images-idx3-ubyte.gz"] = IdxFiles.Gzip(IdxFiles.Images(3, 4, 3)),
        ["train-labels-idx1-ubyte.gz"] = IdxFiles.Gzip(IdxFiles.Labels(1, 2, 9)),
        ["t10k-images-idx3-ubyte.gz"] = IdxFiles.Gzip(IdxFiles.Images(2, 4, 3)),
        ["t10k-labels-idx1-ubyte.gz"] = IdxFiles.Gzip(IdxFiles.Labels(0, 5)),
    };

    public void Dispose() => cache.Dispose();

    [Fact]
    public async Task FilesAreDownloadedVerifiedAndThenServedFromTheCache()
    {
        using var server = Serve("a");
        DatasetSource source = Source(server.Url("a"));

        string folder = await Fetch(source);

        Assert.Equal(Path.Combine(cache.Path, "tiny"), folder);
        Assert.Equal(gzippedFiles.Keys.Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        (Dataset train, Dataset test) = IdxDataset.Load(folder, source).Match(Right: sets => sets, Left: error => throw new InvalidOperationException(error.Message));
        Assert.Equal(3, train.Count);
        Assert.Equal(2, test.Count);

        await Fetch(source);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task AMirrorAnswering404IsSkippedForTheNext()
    {
        using var server = Serve("b");

        await Fetch(Source(server.Url("a"), server.Url("b")));

        Assert.Equal(
            gzippedFiles.Keys.SelectMany(file => new[] { "/a/" + file, "/b/" + file }),
            server.Requests);
    }

    [Fact]
    public async Task ContentWithTheWrongChecksumIsRefusedAndNothingIsCached()
    {
        gzippedFiles["train-images-idx3-ubyte.gz"] = IdxFiles.Gzip(IdxFiles.Images(3, 4, 4));
        using var server = Serve("a");
        DatasetSource source = Source(server.Url("a"));
        string actual = Sha256(IdxFiles.Images(3, 4, 4)), expected = Sha256(IdxFiles.Images(3, 4, 3));

        string error = await FetchError(source);

        Assert.Equal(
            $"tiny: cannot fetch train-images-idx3-ubyte.gz into {cache.File("tiny")}; tried:{Environment.NewLine}" +
            $"  {server.Url("a")}train-images-idx3-ubyte.gz: the SHA-256 of the decompressed content is {actual} but {expected} was expected{Environment.NewLine}" +
            "Put the files in that folder by hand, or load a folder that holds them (--data DIR).",
            error);
        Assert.Empty(Directory.GetFiles(cache.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WhenEveryMirrorIsDownTheMessageListsWhatWasTried()
    {
        string first = LoopbackHttpServer.ClosedUrl("a"), second = LoopbackHttpServer.ClosedUrl("b");

        string error = await FetchError(Source(first, second));

        string expected =
            $"tiny: cannot fetch train-images-idx3-ubyte.gz into {cache.File("tiny")}; tried:\n" +
            $"  {first}train-images-idx3-ubyte.gz: Connection refused .*\n" +
            $"  {second}train-images-idx3-ubyte.gz: Connection refused .*\n" +
            "Put the files in that folder by hand, or load a folder that holds them \\(--data DIR\\).";
        Assert.Matches(new Regex("^" + expected.Replace(".gz", "\\.gz").Replace("\n", Regex.Escape(Environment.NewLine)) + "$"), error);
    }

    [Fact]
    public async Task AMirrorThatNeverAnswersTimesOut()
    {
        using var server = new LoopbackHttpServer(new Dictionary<string, byte[]>(), silent: true);

        string error = await FetchError(Source(server.Url("a")), TimeSpan.FromMilliseconds(300));

        Assert.Contains($"  {server.Url("a")}train-images-idx3-ubyte.gz: no answer within 0.3 s{Environment.NewLine}", error);
    }

    [Fact]
    public async Task ADataSetWithoutMirrorsSaysSo()
    {
        string error = await FetchError(Source());

        Assert.StartsWith($"tiny: cannot fetch train-images-idx3-ubyte.gz into {cache.File("tiny")}; no mirror is known for this data set", error);
    }

    [Fact]
    public async Task ALocalFolderNeedsNoNetwork()
    {
        using TemporaryFolder data = new();
        IdxFiles.WriteStandardSet(data.Path, trainLabels: [1, 2, 9], testLabels: [0, 5]);

        var loaded = await IdxDataset.LoadAsync(Source(LoopbackHttpServer.ClosedUrl("a")), data.Path);

        Assert.Equal("tiny train: 3 samples of 1x4x3, 10 classes", loaded.Match(Right: sets => sets.Train.ToString(), Left: error => error.Message));
    }

    /// <summary>The tiny data set's catalog entry, with the checksums of the files the server holds by default.</summary>
    private static DatasetSource Source(params string[] mirrors) => DatasetSource.Standard(
        "tiny",
        [.. mirrors],
        trainImages: Sha256(IdxFiles.Images(3, 4, 3)),
        trainLabels: Sha256(IdxFiles.Labels(1, 2, 9)),
        testImages: Sha256(IdxFiles.Images(2, 4, 3)),
        testLabels: Sha256(IdxFiles.Labels(0, 5)));

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private LoopbackHttpServer Serve(string folder) =>
        new(gzippedFiles.ToDictionary(file => $"/{folder}/{file.Key}", file => file.Value));

    private async Task<string> Fetch(DatasetSource source) =>
        (await FetchAsync(source, Timeout)).Match(Right: folder => folder, Left: error => throw new InvalidOperationException(error.Message));

    private async Task<string> FetchError(DatasetSource source, TimeSpan? timeout = null) =>
        (await FetchAsync(source, timeout ?? Timeout)).Match(Right: _ => "fetched", Left: error => error.Message);

    /// <summary>Fetches without any proxy: a proxy from the environment would carry loopback requests off the machine.</summary>
    private async Task<LanguageExt.Either<ConvGenError, string>> FetchAsync(DatasetSource source, TimeSpan timeout)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = timeout };
        return await DatasetDownloader.FetchAsync(source, http, cache.Path);
    }
}
