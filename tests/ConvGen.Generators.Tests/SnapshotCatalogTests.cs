using System.Reflection;

namespace ConvGen.Generators.Tests;

/// <summary>The snapshots folder holds exactly the files tests verify: none left behind by a renamed or deleted test.</summary>
public sealed class SnapshotCatalogTests
{
    private static readonly Assembly Tests = typeof(SnapshotCatalogTests).Assembly;

    [Fact]
    public void EverySnapshotFileIsClaimedByATest()
    {
        IReadOnlyList<string> stale = Snapshot.StaleFiles(Tests);
        if (Snapshot.Accepting)
        {
            // Accepting refreshes the folder as a whole: what no test claims goes.
            foreach (string name in stale)
            {
                File.Delete(Path.Combine(Snapshot.Directory, name));
            }

            return;
        }

        Assert.True(stale.Count == 0, "Snapshots no test claims (delete them, or rerun with " + Snapshot.AcceptVariable + "=1):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void SnapshotTestsAreFacts()
    {
        // A theory would verify several cases against one file name; Verify would add parameters to it, this helper does not.
        IEnumerable<string> notFacts =
            from type in Tests.GetTypes()
            from method in type.GetMethods()
            where method.GetCustomAttribute<SnapshotAttribute>() is not null
                && (method.GetCustomAttribute<FactAttribute>() is null or TheoryAttribute)
            select type.Name + "." + method.Name;
        Assert.Empty(notFacts);
    }
}
