namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Marks a test that compares generated files with snapshots and names the hint names it produces. Stale snapshots are
/// found from these attributes by reflection, so the check holds whatever order, or subset, of tests runs.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class SnapshotAttribute(params string[] hintNames) : Attribute
{
    public IReadOnlyList<string> HintNames { get; } = hintNames;
}
