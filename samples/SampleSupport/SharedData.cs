namespace ConvGen.Samples.Support;

/// <summary>
/// The project's data beside the repository, <c>../shared/data/NAME</c> from the folder holding ConvGen.sln. The
/// repository is found by walking up from the program's own files, so a sample finds its data from any current folder.
/// </summary>
public static class SharedData
{
    /// <summary>The folder <c>shared/data/<paramref name="name"/></c> beside the repository, whether it exists or not; without a repository above the program, <c>../shared/data/<paramref name="name"/></c> from the current folder.</summary>
    public static string Folder(string name)
    {
        string? repository = Repository(AppContext.BaseDirectory);
        return Path.GetFullPath(Path.Combine(repository ?? "", "..", "shared", "data", name));
    }

    /// <summary>As <see cref="Folder"/> when that folder exists, otherwise null.</summary>
    public static string? ExistingFolder(string name) => Folder(name) is var folder && Directory.Exists(folder) ? folder : null;

    // The nearest ancestor of the program's folder that holds ConvGen.sln.
    private static string? Repository(string start)
    {
        for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ConvGen.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
