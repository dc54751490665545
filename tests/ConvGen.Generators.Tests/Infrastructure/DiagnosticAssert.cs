using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>A diagnostic a test expects at a marked span: how severe, and its whole rendered message.</summary>
internal readonly record struct ExpectedDiagnostic(DiagnosticSeverity Severity, string Message);

/// <summary>
/// Runs the generator over <see cref="DiagnosticMarkup"/> twice: the faulty source must report exactly the marked
/// diagnostics (ID, severity, message, span), and the fixed source nothing at all, its generated code compiling cleanly.
/// </summary>
internal static class DiagnosticAssert
{
    /// <summary>What every markup starts with, so tests show only the declaration.</summary>
    public const string Header = "using ConvGen;\n\nnamespace Networks;\n\n";

    private const string Path = "Network.cs";

    public static ExpectedDiagnostic Error(string message) => new(DiagnosticSeverity.Error, message);

    public static ExpectedDiagnostic Warning(string message) => new(DiagnosticSeverity.Warning, message);

    /// <summary>A network of 1 x <paramref name="height"/> x <paramref name="width"/> inputs with <paramref name="layers"/> as its one attribute list.</summary>
    public static string Network(string layers, int height = 8, int width = 8) =>
        "[Network(InputChannels = 1, InputHeight = " + height + ", InputWidth = " + width + ")]\n[" + layers + "]\npublic sealed partial record Net;\n";

    /// <summary>Asserts both variants of <paramref name="markup"/>; returns the faulty run for further checks.</summary>
    public static GeneratorRun Reports(string markup, params ExpectedDiagnostic[] expected)
    {
        DiagnosticMarkup parsed = DiagnosticMarkup.Parse(Header + markup);
        Assert.True(parsed.Expected.Length == expected.Length, "The markup marks " + parsed.Expected.Length + " spans but the test expects " + expected.Length + " diagnostics.");
        Assert.True(parsed.FaultySource != parsed.FixedSource, "The markup needs a fix (wrong=>right) so the corrected variant can be checked for false positives.");

        GeneratorRun faulty = GeneratorDriverHelper.Run(GeneratorDriverHelper.Compile([GeneratorDriverHelper.Parse(parsed.FaultySource, Path)]));
        SourceText text = SourceText.From(parsed.FaultySource);
        List<string> wanted = parsed.Expected.Zip(expected, (mark, diagnostic) =>
            Describe(mark.Id, diagnostic.Severity, Path, text.Lines.GetLinePositionSpan(mark.Span), mark.Span, diagnostic.Message)).ToList();
        List<string> reported = faulty.GeneratorDiagnostics
            .OrderBy(diagnostic => diagnostic.Location.SourceSpan.Start)
            .Select(Describe)
            .ToList();
        Assert.True(wanted.SequenceEqual(reported), "Expected:\n  " + string.Join("\n  ", wanted) + "\nReported:\n  " + string.Join("\n  ", reported));

        // Errors stop generation; warnings do not, and what they let through must compile.
        if (expected.All(diagnostic => diagnostic.Severity == DiagnosticSeverity.Warning))
        {
            Assert.NotEmpty(faulty.GeneratedSources);
            Assert.Empty(faulty.CompilationDiagnostics);
        }
        else
        {
            Assert.Empty(faulty.GeneratedSources);
        }

        GeneratorDriverHelper.Run(GeneratorDriverHelper.Compile([GeneratorDriverHelper.Parse(parsed.FixedSource, Path)])).AssertCompilesCleanly();
        return faulty;
    }

    private static string Describe(Diagnostic diagnostic)
    {
        FileLinePositionSpan line = diagnostic.Location.GetLineSpan();
        return Describe(diagnostic.Id, diagnostic.Severity, line.Path, line.Span, diagnostic.Location.SourceSpan, diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    // One line per diagnostic, so a mismatch shows every field side by side.
    private static string Describe(string id, DiagnosticSeverity severity, string path, LinePositionSpan lines, TextSpan span, string message) =>
        id + " " + severity + " at " + path + lines + " " + span + ": " + message;
}
