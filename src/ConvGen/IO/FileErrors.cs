namespace ConvGen.IO;

/// <summary>The one wording for files that cannot be used, so every reader reports them alike.</summary>
internal static class FileErrors
{
    /// <summary>Whether <paramref name="exception"/> is about the file system (missing, locked, forbidden), not a bug.</summary>
    public static bool IsFileProblem(Exception exception) => exception is IOException or UnauthorizedAccessException;

    /// <summary>Why <paramref name="path"/> cannot name a file at all (empty, blank, a NUL character), or null when it can.</summary>
    public static ConvGenError? CheckPath(string? path) =>
        string.IsNullOrWhiteSpace(path) ? new ConvGenError($"The path '{path}' is empty; a file name is needed.")
        : path.Contains('\0', StringComparison.Ordinal) ? new ConvGenError($"{path.Replace("\0", "\\0", StringComparison.Ordinal)}: a path cannot hold a NUL character.")
        : null;

    /// <summary>Why <paramref name="path"/> could not be read.</summary>
    public static ConvGenError Reading(string path, Exception exception) => exception is FileNotFoundException or DirectoryNotFoundException
        ? new ConvGenError($"{path}: no such file.")
        : new ConvGenError($"{path}: cannot be read ({exception.Message})");

    /// <summary>Why <paramref name="path"/> could not be written.</summary>
    public static ConvGenError Writing(string path, Exception exception) => new($"{path}: cannot be written ({exception.Message})");
}
