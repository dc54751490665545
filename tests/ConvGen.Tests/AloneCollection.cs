namespace ConvGen.Tests;

/// <summary>
/// Tests that must run with nothing else in the process: allocation counts are per thread, and another test's kernel
/// calls can make this test's work run inline on a thread whose scratch buffers were never needed before.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone in the process";
}
