using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ConvGen.Tests.Packaging;

/// <summary>
/// What nuget.org and a user's IDE show about the package: the licence, the readme (whose links must work without the
/// repository, so none may be relative), the description, tags, project and repository addresses and release notes;
/// and that packing the whole solution makes the library packages and nothing else.
/// </summary>
[Collection(ChildProcess.BuildCollection)]
public sealed partial class PackageMetadataTests
{
    [Fact]
    public void ThePackageDeclaresTheMitLicenceTheRepositoryAndReleaseNotes()
    {
        using var work = new TemporaryFolder();
        using ZipArchive package = OpenPackage(work);
        XElement metadata = Metadata(package);

        XElement license = Element(metadata, "license");
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("MIT", license.Value);
        Assert.StartsWith("MIT License", File.ReadAllText(Path.Combine(ChildProcess.Repository(), "LICENSE")), StringComparison.Ordinal);

        Assert.Contains("compile time", Element(metadata, "description").Value, StringComparison.Ordinal);
        Assert.Contains("0.1.0", Element(metadata, "releaseNotes").Value, StringComparison.Ordinal);
        string[] tags = Element(metadata, "tags").Value.Split(' ');
        Assert.Contains("cnn", tags);
        Assert.Contains("source-generator", tags);
        Assert.StartsWith("https://", Element(metadata, "projectUrl").Value, StringComparison.Ordinal);
        XElement repository = Element(metadata, "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.StartsWith("https://", (string?)repository.Attribute("url"), StringComparison.Ordinal);
    }

    [Fact]
    public void ThePackageReadmeIsInThePackageAndLinksOnlyToAbsoluteAddresses()
    {
        using var work = new TemporaryFolder();
        using ZipArchive package = OpenPackage(work);
        string readmeName = Element(Metadata(package), "readme").Value;

        ZipArchiveEntry? readme = package.GetEntry(readmeName);
        Assert.NotNull(readme);
        using var reader = new StreamReader(readme.Open());
        string text = reader.ReadToEnd();

        Assert.Contains("dotnet add package ConvGen", text, StringComparison.Ordinal);
        string[] links = MarkdownLink().Matches(text).Select(match => match.Groups["target"].Value).ToArray();
        string[] bareAddresses = BareAddress().Matches(text).Select(match => match.Value).ToArray();
        Assert.NotEmpty(links.Concat(bareAddresses));
        Assert.All(links, link => Assert.Matches("^https://", link));
    }

    [Fact]
    public void EveryPackageReadmeLinksAbsolutelyAndEachSiteAddressIsAPageOfTheSite()
    {
        string repository = ChildProcess.Repository();
        string site = XDocument.Load(Path.Combine(repository, "Directory.Build.props")).Descendants("ConvGenDocumentationUrl").Single().Value;
        // Every library's package readme, the core's and the companions'.
        string[] readmes = Directory.GetFiles(Path.Combine(repository, "src"), "PACKAGE.md", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        Assert.True(readmes.Length >= 2, "expected the package readmes of ConvGen and ConvGen.Plotting");
        Assert.All(readmes, readme => Assert.All(MarkdownLink().Matches(readme), link => Assert.Matches("^https://", link.Groups["target"].Value)));

        string[] pages = readmes.SelectMany(readme => BareAddress().Matches(readme)).Select(match => match.Value.TrimEnd('.', ')'))
            .Where(address => address.StartsWith(site, StringComparison.Ordinal)).Select(address => address[site.Length..]).ToArray();

        Assert.Contains("articles/getting-started.html", pages);
        Assert.All(pages, page => Assert.True(File.Exists(SourceOf(repository, page)), $"{site}{page}: no page {SourceOf(repository, page)} in docs/site"));
    }

    // docs/site/docfx.json: docs/site/X.md is X.html, docs/diagnostics/X.md is diagnostics/X.html; a folder is its index.
    private static string SourceOf(string repository, string page)
    {
        string markdown = (page.Length == 0 || page.EndsWith('/') ? page + "index" : Path.ChangeExtension(page, null)) + ".md";
        return markdown.StartsWith("diagnostics/", StringComparison.Ordinal)
            ? Path.Combine(repository, "docs", markdown)
            : Path.Combine(repository, "docs", "site", markdown);
    }

    [Fact]
    public void ThePackageCarriesTheRuntimeItsXmlDocsAndTheGeneratorAsAnAnalyzer()
    {
        using var work = new TemporaryFolder();
        using ZipArchive package = OpenPackage(work);
        string[] entries = package.Entries.Select(entry => entry.FullName).ToArray();

        Assert.Contains("lib/net10.0/ConvGen.dll", entries);
        Assert.Contains("lib/net10.0/ConvGen.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/ConvGen.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/ConvGen.CodeFixes.dll", entries);
        Assert.DoesNotContain(entries, entry => entry.StartsWith("lib/", StringComparison.Ordinal) && entry.Contains("Generators", StringComparison.Ordinal));
    }

    [Fact]
    public void PackingTheSolutionMakesOnePackagePerLibraryUnderSrcAndNothingElse()
    {
        using var work = new TemporaryFolder();
        string repository = ChildProcess.Repository();
        (int exit, string output, string error) = ChildProcess.Dotnet(repository, "pack", "ConvGen.sln", "-c", ChildProcess.Configuration(), "--no-build", "-o", work.File("feed"));
        Assert.True(exit == 0, output + error);

        string[] libraries = Directory.GetFiles(Path.Combine(repository, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;
        string[] packages = Directory.GetFiles(work.File("feed"), "*.nupkg")
            .Select(file => PackageVersion().Replace(Path.GetFileNameWithoutExtension(file), "")).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains("ConvGen", libraries);
        Assert.Equal(libraries, packages);
    }

    private static ZipArchive OpenPackage(TemporaryFolder work)
    {
        string version = PackageConsumer.Pack(work);
        return ZipFile.OpenRead(Path.Combine(work.File("feed"), $"ConvGen.{version}.nupkg"));
    }

    private static XElement Metadata(ZipArchive package)
    {
        ZipArchiveEntry nuspec = Assert.Single(package.Entries, entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = nuspec.Open();
        XElement root = XDocument.Load(stream).Root!;
        return Element(root, "metadata");
    }

    private static XElement Element(XElement parent, string name)
    {
        XElement? child = parent.Elements().FirstOrDefault(element => element.Name.LocalName == name);
        Assert.True(child is not null, $"the nuspec has no <{name}>");
        return child;
    }

    // [text](target) and ![alt](target): the targets a readme viewer resolves.
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"https://\S+")]
    private static partial Regex BareAddress();

    // "ConvGen.0.1.0" -> "ConvGen": the version starts at the first ".digit".
    [GeneratedRegex(@"\.\d.*$")]
    private static partial Regex PackageVersion();
}
