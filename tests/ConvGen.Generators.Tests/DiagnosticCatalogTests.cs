using System.Reflection;
using ConvGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The catalog and everything that must follow it: a test per ID, a docs page per ID, a release-tracking row per ID.
/// </summary>
public sealed class DiagnosticCatalogTests
{
    private static readonly string DocsFolder = Path.Combine(SourcePaths.Repository, "docs", "diagnostics");

    public static TheoryData<string> Ids => new(DiagnosticDescriptors.All.Select(descriptor => descriptor.Id));

    [Fact]
    public void EveryDescriptorHasADiagnosticTest()
    {
        List<string> tested = DiagnosticTestMethods().Select(test => test.Id).ToList();
        Assert.Empty(DiagnosticDescriptors.All.Select(descriptor => descriptor.Id).Except(tested));
        Assert.Empty(tested.Except(DiagnosticDescriptors.All.Select(descriptor => descriptor.Id)));
    }

    [Fact]
    public void DiagnosticTestsAreTests()
    {
        Assert.Empty(DiagnosticTestMethods()
            .Where(test => test.Method.GetCustomAttribute<FactAttribute>() is null)
            .Select(test => test.Method.Name));
    }

    // The planner decides at run time what is an error (a Sequential refuses it) from the same IDs the IDE shows.
    [Fact]
    public void ThePlannersIdsHaveTheDescriptorsSeverityAndMessage()
    {
        foreach ((string id, string format) in ConvGen.Planning.DiagnosticIds.Formats)
        {
            DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(id);
            Assert.Equal(format, descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture));
            DiagnosticSeverity planned = ConvGen.Planning.DiagnosticIds.Warnings.Contains(id) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
            Assert.True(planned == descriptor.DefaultSeverity, $"{id}: the planner says {planned}, the descriptor {descriptor.DefaultSeverity}");
        }
    }

    [Fact]
    public void IdsAreUniqueAndNumberedInOrder()
    {
        Assert.Equal(
            Enumerable.Range(1, DiagnosticDescriptors.All.Count).Select(number => "CG" + number.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)),
            DiagnosticDescriptors.All.Select(descriptor => descriptor.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryIdHasADocsPageTheHelpLinkNames(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(id);
        Assert.EndsWith("/diagnostics/README.html#" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal); // the site; DiagnosticHelpLinkTests
        string page = File.ReadAllText(Path.Combine(DocsFolder, id + ".md"));
        Assert.StartsWith("# " + id + ": " + descriptor.Title + "\n", page.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("[" + id + "](" + id + ".md)", File.ReadAllText(Path.Combine(DocsFolder, "README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DocsExampleReportsTheDocumentedMessage(string id)
    {
        // The page's first csharp block is its example and its first text block the message that example gets.
        string page = File.ReadAllText(Path.Combine(DocsFolder, id + ".md")).ReplaceLineEndings("\n");
        string example = FencedBlock(page, "csharp");
        string message = FencedBlock(page, "text");
        // An example that declares its namespace (CG0029's must) gets the using directive alone.
        string header = example.StartsWith("namespace ", StringComparison.Ordinal) ? "using ConvGen;\n\n" : DiagnosticAssert.Header;
        GeneratorRun run = GeneratorDriverHelper.Run(header + example);
        Assert.Equal([(id, message)], run.GeneratorDiagnostics.Select(diagnostic => (diagnostic.Id, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryIdIsTrackedForRelease(string id)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(id);
        string unshipped = File.ReadAllText(Path.Combine(SourcePaths.Repository, "generators", "ConvGen.Generators", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity + " |", unshipped, StringComparison.Ordinal);
    }

    private static string FencedBlock(string markdown, string language)
    {
        string fence = "```" + language + "\n";
        int start = markdown.IndexOf(fence, StringComparison.Ordinal);
        Assert.True(start >= 0, "No ```" + language + " block.");
        start += fence.Length;
        return markdown.Substring(start, markdown.IndexOf("\n```", start, StringComparison.Ordinal) - start);
    }

    private static IEnumerable<(string Id, MethodInfo Method)> DiagnosticTestMethods() =>
        from type in typeof(DiagnosticCatalogTests).Assembly.GetTypes()
        from method in type.GetMethods()
        from attribute in method.GetCustomAttributes<DiagnosticTestAttribute>()
        select (attribute.Id, method);
}
