using System.Reflection;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshots of generated files, after Verify's conventions: <c>Snapshots/{Class}.{Method}#{HintName}.verified.cs</c>
/// beside the sources, a <c>.received.cs</c> written on mismatch (ignored by git), and
/// <c>CONVGEN_ACCEPT_SNAPSHOTS=1</c> to accept what was generated instead of failing.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = SnapshotFile.AcceptVariable;

    private const string VerifiedSuffix = ".verified.cs";

    /// <summary>The snapshots folder in the source tree, not in bin/, so accepted files land where git sees them.</summary>
    public static string Directory { get; } = Path.Combine(SourcePaths.Project, "Snapshots");

    public static bool Accepting => SnapshotFile.Accepting;

    /// <summary>
    /// Compares each generated file with its snapshot. The test must carry <see cref="SnapshotAttribute"/> naming exactly
    /// the hint names generated, so that every snapshot file is claimed by a test.
    /// </summary>
    public static void Verify(MethodInfo test, IEnumerable<(string HintName, string Text)> generated)
    {
        SnapshotAttribute declared = test.GetCustomAttribute<SnapshotAttribute>()
            ?? throw new InvalidOperationException(test.DeclaringType!.Name + "." + test.Name + " needs [Snapshot(hint names...)] to verify snapshots.");
        List<(string HintName, string Text)> files = generated.OrderBy(file => file.HintName, StringComparer.Ordinal).ToList();
        Assert.Equal(declared.HintNames.Order(StringComparer.Ordinal), files.Select(file => file.HintName));

        var failures = new List<string>();
        foreach ((string hintName, string text) in files)
        {
            string? failure = Compare(FileName(test, hintName), text);
            if (failure is not null)
            {
                failures.Add(failure);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The snapshot file names every <see cref="SnapshotAttribute"/> in <paramref name="tests"/> claims.</summary>
    public static IEnumerable<string> ClaimedFileNames(Assembly tests) =>
        from type in tests.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<SnapshotAttribute>()
        where attribute is not null
        from hintName in attribute.HintNames
        select FileName(method, hintName);

    /// <summary>Verified files that no test claims, which would otherwise linger after a test is renamed or removed.</summary>
    public static IReadOnlyList<string> StaleFiles(Assembly tests)
    {
        var claimed = new HashSet<string>(ClaimedFileNames(tests), StringComparer.Ordinal);
        return System.IO.Directory.EnumerateFiles(Directory, "*.verified.*")
            .Select(path => Path.GetFileName(path))
            .Where(name => !claimed.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Verify's name for a generated file's snapshot: the hint name loses its <c>.cs</c>, the suffix adds it back.</summary>
    public static string FileName(MethodInfo test, string hintName) =>
        test.DeclaringType!.Name + "." + test.Name + "#" + Path.GetFileNameWithoutExtension(hintName) + VerifiedSuffix;


    private static string? Compare(string verifiedName, string generated) =>
        SnapshotFile.Compare(Directory, verifiedName[..^VerifiedSuffix.Length], "cs", generated);
}
