namespace ConvGen.IO;

/// <summary>The one wording for files that cannot be used, so every reader reports them alike.</summary>
internal static class FileErrors
{
    /// <summary>Whether <paramref name="exception"/> is about the file system (missing, locked, forbidden), not a bug.</summary>
    public static bool IsFileProblem(Exception exception) => exception is IOException or UnauthorizedAccessException;

    /// <summary>Why <paramref name="path"/> could not be read.</summary>
    public static ConvGenError Reading(string path, Exception exception) => exception is FileNotFoundException or DirectoryNotFoundException
        ? new ConvGenError($"{path}: no such file.")
        : new ConvGenError($"{path}: cannot be read ({exception.Message})");
}
