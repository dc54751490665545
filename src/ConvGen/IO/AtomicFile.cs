using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.IO;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same folder, is flushed to disk, and is
/// then renamed over the target. A crash or kill at any point leaves either the old file or the new one, never a mix.
/// A killed writer's temporary file stays behind; the next write to the same target removes those untouched for an
/// hour (a live writer touches its own every few milliseconds).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, creating its folder if needed.</summary>
    public static Either<ConvGenError, Unit> Write(string path, Action<Stream> write)
    {
        if (FileErrors.CheckPath(path) is { } badPath)
        {
            return Left<ConvGenError, Unit>(badPath);
        }

        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        // Same folder, so the rename never crosses file systems and stays atomic; hidden and unique per writer.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            RemoveStaleTemporaries(folder, Path.GetFileName(fullPath));
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
            return unit;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Left<ConvGenError, Unit>(FileErrors.Writing(path, exception));
        }
        finally
        {
            // Only a failed write leaves it; after the rename it no longer exists.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>How long a temporary file must lie untouched before a later write takes it for a killed writer's.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    private static void RemoveStaleTemporaries(string folder, string fileName)
    {
        DateTime cutoff = DateTime.UtcNow - StaleAfter;
        foreach (string candidate in Directory.EnumerateFiles(folder, $".{fileName}.*.tmp"))
        {
            // Only names this class makes: the target's name, a 32-digit hexadecimal writer id, ".tmp".
            string id = Path.GetFileName(candidate)[(fileName.Length + 2)..^4];
            if (id.Length == 32 && id.All(char.IsAsciiHexDigitLower) && File.GetLastWriteTimeUtc(candidate) < cutoff)
            {
                try
                {
                    File.Delete(candidate);
                }
                catch (Exception exception) when (FileErrors.IsFileProblem(exception))
                {
                    // Another writer removed it first, or it cannot be removed: the save goes on either way.
                }
            }
        }
    }
}
