using System.Globalization;
using System.Security.Cryptography;
using ConvGen.IO;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>
/// Fills a cache folder with a data set's files: each one is downloaded from the first mirror that serves it with the
/// right SHA-256 (of the decompressed content), then moved into the cache atomically, so a file with its final name is
/// always complete and verified. Files already in the cache are not fetched again.
/// </summary>
public static class DatasetDownloader
{
    /// <summary>How long one request may take before the next mirror is tried.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    // Far above any data set we list (CIFAR-10's archive is 170 MB); a mirror sending more is not serving the file we asked for.
    private const int MaximumDownloadBytes = 512 * 1024 * 1024;

    /// <summary><c>$XDG_CACHE_HOME/convgen</c> when that variable holds an absolute path, <c>~/.cache/convgen</c> otherwise.</summary>
    public static string DefaultCacheFolder
    {
        get
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "convgen");
        }
    }

    /// <summary>
    /// The folder <c>{cacheFolder}/{source.Name}</c> holding all of <paramref name="source"/>'s files, downloading the
    /// missing ones with the system's proxy settings; or an error listing every URL tried and why it failed.
    /// </summary>
    /// <param name="source">The data set.</param>
    /// <param name="cacheFolder">The cache root; <see cref="DefaultCacheFolder"/> when null.</param>
    /// <param name="timeout">Per request; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="cancellationToken">Stops the download; the cache keeps only the files completed before.</param>
    public static async Task<Either<ConvGenError, string>> FetchAsync(
        DatasetSource source, string? cacheFolder = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = timeout ?? DefaultTimeout, MaxResponseContentBufferSize = MaximumDownloadBytes };
        return await FetchAsync(source, http, cacheFolder ?? DefaultCacheFolder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As the other overload, through <paramref name="http"/>, whose handler, proxy and timeout the caller chose.</summary>
    public static async Task<Either<ConvGenError, string>> FetchAsync(
        DatasetSource source, HttpClient http, string cacheFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(http);
        string folder = Path.Combine(cacheFolder, source.Name);
        foreach (DatasetFile file in source.Files)
        {
            string target = Path.Combine(folder, file.FileName);
            if (File.Exists(target))
            {
                continue;
            }

            Either<ConvGenError, Unit> fetched = await FetchFileAsync(http, source, file, target, cancellationToken).ConfigureAwait(false);
            if (fetched.IsLeft)
            {
                return fetched.Map(_ => folder);
            }
        }

        return Right<ConvGenError, string>(folder);
    }

    /// <summary>
    /// Checks that <paramref name="folder"/> holds every file of <paramref name="source"/> with the right SHA-256 of
    /// its decompressed content; the error names the first file that is missing or differs.
    /// </summary>
    public static Either<ConvGenError, Unit> Verify(DatasetSource source, string folder)
    {
        ArgumentNullException.ThrowIfNull(source);
        foreach (DatasetFile file in source.Files)
        {
            string path = Path.Combine(folder, file.FileName);
            try
            {
                using FileStream stream = File.OpenRead(path);
                if (ChecksumProblem(stream, file) is { } problem)
                {
                    return Left<ConvGenError, Unit>(new ConvGenError($"{path}: {problem}."));
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                return Left<ConvGenError, Unit>(new ConvGenError($"{path}: cannot be verified ({exception.Message})"));
            }
        }

        return unit;
    }

    private static async Task<Either<ConvGenError, Unit>> FetchFileAsync(
        HttpClient http, DatasetSource source, DatasetFile file, string target, CancellationToken cancellationToken)
    {
        var attempts = new List<string>();
        foreach (string mirror in source.Mirrors)
        {
            string url = mirror + file.FileName;
            (byte[]? content, string? problem) = await DownloadVerifiedAsync(http, url, file, cancellationToken).ConfigureAwait(false);
            if (content is not null)
            {
                return AtomicFile.Write(target, stream => stream.Write(content));
            }

            attempts.Add($"{url}: {problem}");
        }

        string tried = attempts.Count == 0
            ? "no mirror is known for this data set"
            : "tried:" + string.Concat(attempts.Select(attempt => Environment.NewLine + "  " + attempt));
        return Left<ConvGenError, Unit>(new ConvGenError(
            $"{source.Name}: cannot fetch {file.FileName} into {Path.GetDirectoryName(target)}; {tried}{Environment.NewLine}" +
            "Put the files in that folder by hand, or load a folder that holds them (--data DIR)."));
    }

    /// <summary>The content at <paramref name="url"/> if it has <paramref name="file"/>'s checksum; otherwise what went wrong.</summary>
    private static async Task<(byte[]? Content, string? Problem)> DownloadVerifiedAsync(HttpClient http, string url, DatasetFile file, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return ChecksumProblem(new MemoryStream(content), file) is { } problem ? (null, problem) : (content, null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"no answer within {http.Timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException exception)
        {
            return (null, exception.Message);
        }
        catch (InvalidDataException exception)
        {
            return (null, $"not a valid gzip stream ({exception.Message})");
        }
    }

    /// <summary>Why the content does not match <paramref name="file"/>'s checksum, or null when it does.</summary>
    private static string? ChecksumProblem(Stream content, DatasetFile file)
    {
        using Stream hashed = file.HashesStoredBytes ? content : IdxReader.OpenDecompressed(content);
        string actual = Convert.ToHexStringLower(SHA256.HashData(hashed));
        string what = file.HashesStoredBytes ? "file" : "decompressed content";
        return actual == file.Sha256 ? null : $"the SHA-256 of the {what} is {actual} but {file.Sha256} was expected";
    }
}
