using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests;

/// <summary>
/// A ConvGen warning obeys the user's suppressions, as any compiler warning does: <c>#pragma warning disable</c> around the
/// declaration and an <c>.editorconfig</c> severity for the file (Roslyn's per-tree options), each in a real compilation
/// run through the driver the build uses. Both only work when the diagnostic is placed in the compilation's own tree.
/// </summary>
public sealed class SuppressionTests
{
    // A 3x3 pool over 14x14 leaves the last 2 rows and columns unused: CG0007, a warning; 64x4x4 = 1024 features.
    private static readonly string Warned = Networks.Mnist
        .Replace("MaxPool2d(2)]\n[Flatten", "MaxPool2d(3)]\n[Flatten", StringComparison.Ordinal)
        .Replace("Linear(3136,", "Linear(1024,", StringComparison.Ordinal);

    [Fact]
    public void TheWarningIsReportedWhenNothingSuppressesIt()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Warned);

        Diagnostic warning = Assert.Single(run.GeneratorDiagnostics, diagnostic => diagnostic.Id == "CG0007");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        // In the compilation's own tree, as a source location: what suppressions are checked against.
        Assert.True(warning.Location.IsInSource);
        Assert.Same(run.InputCompilation.SyntaxTrees.Single(), warning.Location.SourceTree);
    }

    [Fact]
    public void PragmaWarningDisableSilencesIt()
    {
        string source = Warned.Replace("[Network(", "#pragma warning disable CG0007\n[Network(", StringComparison.Ordinal);
        Assert.NotEqual(Warned, source);

        GeneratorRun run = GeneratorDriverHelper.Run(source);

        // Kept and marked suppressed, as the compiler keeps a suppressed warning: the build shows nothing.
        Assert.True(Assert.Single(run.GeneratorDiagnostics, diagnostic => diagnostic.Id == "CG0007").IsSuppressed);
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void PragmaWarningDisableOfAnotherIdLeavesIt()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Warned.Replace("[Network(", "#pragma warning disable CG0019\n[Network(", StringComparison.Ordinal));

        Assert.Contains(run.GeneratorDiagnostics, diagnostic => diagnostic.Id == "CG0007" && !diagnostic.IsSuppressed);
    }

    [Theory]
    [InlineData(ReportDiagnostic.Suppress, null)]
    [InlineData(ReportDiagnostic.Error, DiagnosticSeverity.Error)]
    public void AnEditorConfigSeverityForTheFileApplies(ReportDiagnostic severity, DiagnosticSeverity? reported)
    {
        // What `dotnet_diagnostic.CG0007.severity = none` (or `error`) in an .editorconfig becomes: options of the file's tree.
        CSharpCompilation compilation = GeneratorDriverHelper.Compile(Warned);
        compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(new TreeSeverity("CG0007", severity)));

        GeneratorRun run = GeneratorDriverHelper.Run(compilation);

        Diagnostic[] warnings = [.. run.GeneratorDiagnostics.Where(diagnostic => diagnostic.Id == "CG0007" && !diagnostic.IsSuppressed)];
        Assert.Equal(reported is null ? [] : [reported.Value], warnings.Select(diagnostic => diagnostic.Severity));
    }

    /// <summary>Per-tree severities, as the compiler builds them from <c>.editorconfig</c> files.</summary>
    private sealed class TreeSeverity(string id, ReportDiagnostic severity) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic reported)
        {
            reported = severity;
            return diagnosticId == id;
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic reported)
        {
            reported = ReportDiagnostic.Default;
            return false;
        }
    }
}
