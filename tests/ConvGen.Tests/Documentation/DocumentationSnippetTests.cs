using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ConvGen.Tests.Packaging;

namespace ConvGen.Tests.Documentation;

/// <summary>
/// The C# the documentation site and the README show compiles against the packages as a user gets them, and the getting-started
/// program runs. A snippet takes part when an HTML comment (invisible on the site) stands right above its fence:
/// <c>&lt;!-- compile-file --&gt;</c> for declarations, <c>&lt;!-- compile-program --&gt;</c> for the one program, and
/// <c>&lt;!-- compile: USINGS | PARAMETERS --&gt;</c> for a fragment, compiled as a method body whose parameters are
/// the variables the page defined earlier (USINGS: extra namespaces those parameters' types need, separated by ';').
/// </summary>
[Collection(ChildProcess.BuildCollection)]
public sealed partial class DocumentationSnippetTests
{
    [Fact]
    public void EveryMarkedSnippetCompilesAndTheGettingStartedProgramRuns()
    {
        string site = Path.Combine(ChildProcess.Repository(), "docs", "site");
        var sources = new Dictionary<string, string>();
        string readme = Path.Combine(ChildProcess.Repository(), "README.md");
        foreach (string page in Directory.GetFiles(site, "*.md", SearchOption.AllDirectories).Where(page => !page.Contains("_site", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Append(readme))
        {
            string name = page == readme ? "README" : Path.GetRelativePath(site, page).Replace(Path.DirectorySeparatorChar, '_').Replace(".md", "", StringComparison.Ordinal).Replace('-', '_');
            int index = 0;
            foreach (Match snippet in MarkedSnippet().Matches(File.ReadAllText(page).ReplaceLineEndings("\n")))
            {
                string file = $"{name}_{++index}";
                sources[file + ".cs"] = snippet.Groups["kind"].Value switch
                {
                    "compile-program" => snippet.Groups["code"].Value,
                    "compile-file" => snippet.Groups["code"].Value,
                    _ => AsMethod(file, snippet.Groups["context"].Value, snippet.Groups["code"].Value),
                };
            }
        }

        Assert.True(sources.Count >= 10, $"only {sources.Count} snippets are marked for compiling");
        using var work = new TemporaryFolder();
        string version = PackageConsumer.Pack(work, "ConvGen.Plotting", "ConvGen.Terminal");
        string consumer = PackageConsumer.Write(work, version, sources, "ConvGen.Plotting", "ConvGen.Terminal");

        (int exit, string output, string error) = ChildProcess.Dotnet(consumer, "run", "-c", "Release");

        Assert.True(exit == 0, output + error);
        Assert.Matches(@"test accuracy: 9\d\.\d\d ?%", output);
    }

    // "ConvGen.Data; ConvGen.Training | Dataset train, Dataset test" and the code -> a class with one method.
    private static string AsMethod(string name, string context, string code)
    {
        string[] parts = context.Split('|');
        string[] lines = code.Split('\n');
        var text = new StringBuilder();
        foreach (string usingLine in lines.Where(IsUsingDirective))
        {
            text.AppendLine(usingLine);
        }

        foreach (string extra in parts[0].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"using {extra};");
        }

        string parameters = parts.Length > 1 ? parts[1].Trim() : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"internal static class Snippet_{name}");
        text.AppendLine("{");
        text.AppendLine(CultureInfo.InvariantCulture, $"    internal static void Run({parameters})");
        text.AppendLine("    {");
        foreach (string line in lines.Where(line => !IsUsingDirective(line)))
        {
            text.AppendLine("        " + line);
        }

        text.AppendLine("    }");
        text.AppendLine("}");
        return text.ToString();
    }

    private static bool IsUsingDirective(string line) => line.StartsWith("using ", StringComparison.Ordinal) && line.EndsWith(';') && !line.Contains('=', StringComparison.Ordinal);

    [GeneratedRegex("<!-- (?<kind>compile-program|compile-file|compile)(: (?<context>[^\\n]*?))? -->\\n```csharp\\n(?<code>.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex MarkedSnippet();
}
