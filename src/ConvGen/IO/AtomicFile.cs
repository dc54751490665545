using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.IO;

/// <summary>
/// Replaces a file all at once: the content goes to a temporary file in the same folder, is flushed to disk, and is
/// then renamed over the target. A crash or kill at any point leaves either the old file or the new one, never a mix.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, creating its folder if needed.</summary>
    public static Either<ConvGenError, Unit> Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        // Same folder, so the rename never crosses file systems and stays atomic; hidden and unique per writer.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
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
            return Left<ConvGenError, Unit>(new ConvGenError($"{path}: cannot be written ({exception.Message})"));
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
}
