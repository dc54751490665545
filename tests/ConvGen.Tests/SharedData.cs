namespace ConvGen.Tests;

/// <summary>
/// The project's read-only real data, <c>shared/data</c> beside the repository (CI clones the repository with
/// <c>shared/</c> next to it). Found by walking up from the test assembly, so any checkout depth works.
/// </summary>
internal static class SharedData
{
    /// <summary>The folder <c>shared/data/{name}</c>; fails the test with directions when it cannot be found.</summary>
    public static string Folder(string name)
    {
        for (DirectoryInfo? ancestor = new(AppContext.BaseDirectory); ancestor is not null; ancestor = ancestor.Parent)
        {
            string candidate = Path.Combine(ancestor.FullName, "shared", "data", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/data/{name} folder beside any ancestor of {AppContext.BaseDirectory}. " +
            "These tests need the project's real data: place the repository next to shared/ (../shared/data/ from its root).");
    }
}
