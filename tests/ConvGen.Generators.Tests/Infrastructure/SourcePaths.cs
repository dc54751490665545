using System.Runtime.CompilerServices;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Folders of the source tree, found from this file's compile-time path rather than from bin/, so tests read and
/// write the files git tracks.
/// </summary>
internal static class SourcePaths
{
    /// <summary>tests/ConvGen.Generators.Tests.</summary>
    public static string Project { get; } = FindProject();

    /// <summary>The repository root, two levels above the project.</summary>
    public static string Repository { get; } = Path.GetFullPath(Path.Combine(Project, "..", ".."));

    private static string FindProject([CallerFilePath] string thisFile = "")
    {
        // This file sits in Infrastructure/, one level below the project.
        string project = Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!;
        if (!Directory.Exists(project))
        {
            throw new InvalidOperationException("Tests find the source tree from their source path, but '" + project + "' does not exist: was the build path-mapped?");
        }

        return project;
    }
}
