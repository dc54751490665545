namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Names the diagnostic a test proves: reported with its message and span on the faulty source, and not reported on
/// the fixed one. A meta-test fails when a descriptor has no such test.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class DiagnosticTestAttribute(string id) : Attribute
{
    public string Id { get; } = id;
}
