namespace ConvGen.Testing;

/// <summary>
/// One snapshot file after Verify's conventions: <c>{name}.verified.{extension}</c> in the source tree, a
/// <c>{name}.received.{extension}</c> beside it on mismatch (ignored by git), and <see cref="AcceptVariable"/>
/// set to 1 to accept what was produced instead of failing. Shared by every test project.
/// </summary>
internal static class SnapshotFile
{
    public const string AcceptVariable = "CONVGEN_ACCEPT_SNAPSHOTS";

    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    /// <summary>Line endings as git may check them out on any machine, so a snapshot compares equal everywhere.</summary>
    public static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    /// <summary>The verified file's name for <paramref name="name"/>.</summary>
    public static string VerifiedName(string name, string extension) => name + ".verified." + extension;

    /// <summary>
    /// Null when <paramref name="actual"/> matches the verified file (or was accepted); otherwise why not, with the
    /// received file written for review.
    /// </summary>
    public static string? Compare(string directory, string name, string extension, string actual)
    {
        string verifiedName = VerifiedName(name, extension);
        string verifiedPath = Path.Combine(directory, verifiedName);
        string receivedPath = Path.Combine(directory, name + ".received." + extension);
        actual = NormalizeLineEndings(actual);
        if (Accepting)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return null;
        }

        if (!File.Exists(verifiedPath))
        {
            File.WriteAllText(receivedPath, actual);
            return "No snapshot " + verifiedName + ": wrote " + receivedPath
                + "\nReview it, then rename it to .verified." + extension + " or rerun with " + AcceptVariable + "=1.";
        }

        string verified = NormalizeLineEndings(File.ReadAllText(verifiedPath));
        if (verified == actual)
        {
            File.Delete(receivedPath);
            return null;
        }

        File.WriteAllText(receivedPath, actual);
        return "Snapshot " + verifiedName + " differs; wrote " + receivedPath
            + " (rerun with " + AcceptVariable + "=1 to accept).\n" + TextDiff.Describe(verified, actual);
    }
}
