using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>One run of the generator: the compilation it saw, the compilation with its output added, and what it reported.</summary>
internal sealed record GeneratorRun(
    Compilation InputCompilation,
    Compilation OutputCompilation,
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult)
{
    /// <summary>The one generator's result: ConvGen is the only generator the driver runs.</summary>
    public GeneratorRunResult Result => RunResult.Results.Single();

    public ImmutableArray<GeneratedSourceResult> GeneratedSources => Result.GeneratedSources;

    /// <summary>What the generator reported, including the compiler's CS8785 when the generator threw.</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => RunResult.Diagnostics;

    /// <summary>Errors and warnings of the compilation with the generated sources in it; hidden and info ones left out.</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics => OutputCompilation.GetDiagnostics()
        .Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning)
        .ToImmutableArray();

    /// <summary>Why each output of the named pipeline step was produced in this run.</summary>
    public IEnumerable<IncrementalStepRunReason> OutputReasons(string stepName) =>
        Result.TrackedSteps[stepName].SelectMany(step => step.Outputs).Select(output => output.Reason);

    /// <summary>The values the named pipeline step produced in this run.</summary>
    public IEnumerable<object> OutputValues(string stepName) =>
        Result.TrackedSteps[stepName].SelectMany(step => step.Outputs).Select(output => output.Value);

    /// <summary>The generated file with this hint name, as text.</summary>
    public string GeneratedText(string hintName) =>
        GeneratedSources.Single(source => source.HintName == hintName).SourceText.ToString();

    /// <summary>
    /// Fails unless the generator reported nothing the user would see (a diagnostic a <c>#pragma</c> suppressed is kept,
    /// marked, as the compiler keeps it) and the compilation, generated code included, has no error or warning.
    /// </summary>
    public void AssertCompilesCleanly()
    {
        Assert.Null(Result.Exception);
        Assert.Empty(GeneratorDiagnostics.Where(diagnostic => !diagnostic.IsSuppressed));
        Assert.NotEmpty(GeneratedSources);
        Assert.Empty(CompilationDiagnostics);
    }
}
