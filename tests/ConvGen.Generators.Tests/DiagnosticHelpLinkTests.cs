using System.Text.RegularExpressions;
using System.Xml.Linq;
using ConvGen.Generators.Diagnostics;

namespace ConvGen.Generators.Tests;

/// <summary>
/// An IDE opens a diagnostic's help link in the browser, so it must be an address on the documentation site
/// (docs/site, whose address Directory.Build.props states), leading to that diagnostic's page: the site's diagnostics
/// table with the page as the fragment, which the site's script follows.
/// </summary>
public sealed partial class DiagnosticHelpLinkTests
{
    [Fact]
    public void EveryHelpLinkIsTheSitesDiagnosticsTableWithItsOwnPageAsTheFragment()
    {
        string site = DocumentationUrl();
        Assert.All(DiagnosticDescriptors.All, descriptor =>
        {
            Assert.Equal($"{site}diagnostics/README.html#{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.True(File.Exists(Path.Combine(Repository(), "docs", "diagnostics", descriptor.Id + ".md")), descriptor.Id);
        });
    }

    [Fact]
    public void TheSitePublishesTheDiagnosticsFolderAndItsScriptFollowsTheFragment()
    {
        string docfx = File.ReadAllText(Path.Combine(Repository(), "docs", "site", "docfx.json"));
        Assert.Contains("\"src\": \"../diagnostics\"", docfx, StringComparison.Ordinal);
        Assert.Contains("\"dest\": \"diagnostics\"", docfx, StringComparison.Ordinal);

        string script = File.ReadAllText(Path.Combine(Repository(), "docs", "site", "template", "public", "main.js"));
        Match pattern = FragmentPattern().Match(script);
        Assert.True(pattern.Success, "main.js declares no diagnostic fragment pattern");
        var fragment = new Regex(pattern.Groups["pattern"].Value);
        Assert.All(DiagnosticDescriptors.All, descriptor =>
            Assert.Equal(descriptor.Id, fragment.Match("#" + new Uri(descriptor.HelpLinkUri).Fragment.TrimStart('#')).Groups[1].Value));
    }

    private static string DocumentationUrl() =>
        XDocument.Load(Path.Combine(Repository(), "Directory.Build.props")).Descendants("ConvGenDocumentationUrl").Single().Value;

    private static string Repository() => SourcePaths.Repository;

    [GeneratedRegex(@"const diagnosticFragment = /(?<pattern>[^\n]+)/;")]
    private static partial Regex FragmentPattern();
}
