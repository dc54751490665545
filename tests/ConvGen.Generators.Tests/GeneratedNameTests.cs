using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Names the generated code must carry through intact (issue #19): networks whose names differ only by case, verbatim
/// namespaces, keyword and contextual-keyword record names, names of the workspace's own members, layer names with line
/// breaks, quotes and control characters. Each compiles, adding no error or warning, and one bad declaration never
/// takes another network's code down.
/// </summary>
public sealed class GeneratedNameTests
{
    private const string Layers = "[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]\n[Conv2d(2, Kernel = 3), ReLU, Flatten, Linear(72, 10)]\n";

    [Fact]
    public void NetworksWhoseNamesDifferOnlyByCaseEachGetTheirOwnFile()
    {
        // Hint names compare ignoring case: these once collided, the generator threw, and every network lost its code.
        GeneratorRun run = AssertCompiles(
            "using ConvGen;\nnamespace App;\n" + Layers + "public sealed partial record Net;\n" + Layers + "public sealed partial record NET;\n",
            "using ConvGen;\nnamespace APP;\n" + Layers + "public sealed partial record Net;\n");
        Assert.Equal(
            ["APP.Net.g.cs", "App.NET.2.g.cs", "App.Net.3.g.cs"],
            run.GeneratedSources.Select(source => source.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ACaseTwinAddedInAnotherFileRenamesTheFirstNetworksFileOnTheNextRun()
    {
        // The IDE's driver, kept across edits: the first network's hint name depends on a file it does not live in.
        string first = "using ConvGen;\nnamespace App;\n" + Layers + "public sealed partial record Net;\n";
        GeneratorRun run = GeneratorDriverHelper.Run(first);
        Assert.Equal(["App.Net.g.cs"], run.GeneratedSources.Select(source => source.HintName));

        CSharpCompilation withTwin = (CSharpCompilation)run.InputCompilation.AddSyntaxTrees(
            GeneratorDriverHelper.Parse("using ConvGen;\nnamespace App;\n" + Layers + "public sealed partial record NET;\n", "Source1.cs"));
        run = GeneratorDriverHelper.Rerun(run, withTwin);
        Assert.Null(run.Result.Exception);
        Assert.Equal(["App.NET.g.cs", "App.Net.2.g.cs"], run.GeneratedSources.Select(source => source.HintName).Order(StringComparer.Ordinal));
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void VerbatimNamespace()
    {
        GeneratorRun run = AssertCompiles("using ConvGen;\nnamespace App.@internal;\n" + Layers + "public sealed partial record Net;\n");
        Assert.Contains("namespace App.@internal;", run.GeneratedText("App.internal.Net.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@class")]
    [InlineData("@record")]
    [InlineData("var")]
    [InlineData("async")]
    [InlineData("value")]
    [InlineData("Forward")]
    [InlineData("Input")]
    [InlineData("Output")]
    [InlineData("BufferUpdates")]
    [InlineData("batchCapacity")]
    [InlineData("Conv1Geometry")]
    public void RecordNamedLikeAKeywordOrAWorkspaceMember(string name)
    {
        AssertCompiles("using ConvGen;\nnamespace App;\n" + Layers + "public sealed partial record " + name + ";\n");
    }

    [Fact]
    public void OneBadDeclarationLeavesTheOthersTheirCode()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(
            "using ConvGen;\nnamespace App;\n" + Layers + "public abstract partial record Broken;\n" + Layers + "public sealed partial record Net;\n");
        Assert.Equal(["CG0027"], run.GeneratorDiagnostics.Select(diagnostic => diagnostic.Id));
        Assert.Equal(["App.Net.g.cs"], run.GeneratedSources.Select(source => source.HintName));
        Assert.Empty(run.CompilationDiagnostics.Where(diagnostic => diagnostic.Location.SourceTree != run.InputCompilation.SyntaxTrees.Single()));
    }

    [Fact]
    public void UserMembersTheGeneratorDoesNotDeclareAreFree()
    {
        AssertCompiles("using ConvGen;\nnamespace App;\n" + Layers
            + "public sealed partial record Net\n{\n    internal int Forward() => 1;\n    internal int Backward { get; init; }\n    internal static int InputLength = 1;\n"
            + "    /// <inheritdoc/>\n    public override string ToString() => \"net\";\n    static Net() { }\n"
            + "    internal static int Initialize(string text) => text.Length;\n    internal Net(int seed) : this(Initialize(seed).Parameters) { }\n}\n");
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("cr\rlf")]
    [InlineData("line\u2028separator")]
    [InlineData("paragraph\u2029separator")]
    [InlineData("next\u0085line")]
    [InlineData("tab\tand \"quotes\" and \\backslash")]
    [InlineData("<b>&amp;</b>")]
    [InlineData("\0nul\u0001control\u202Eright-to-left")]
    [InlineData("\uD800lone surrogate")]
    [InlineData("\uD83D\uDE00 smile")]
    public void LayerNamesReachTheSummaryIntact(string name)
    {
        string literal = name.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t").Replace("\0", "\\0")
            .Replace("\u0001", "\\u0001").Replace("\u0085", "\\u0085").Replace("\u2028", "\\u2028").Replace("\u2029", "\\u2029").Replace("\u202E", "\\u202E")
            .Replace("\uD800", "\\uD800");
        GeneratorRun run = AssertCompiles(
            "using ConvGen;\nnamespace App;\n[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]\n[Flatten, Linear(64, 10, Name = \"" + literal + "\")]\npublic sealed partial record Net;\n");

        // The constant as the compiler reads it back from the generated literal: the name, character for character.
        var summary = (IFieldSymbol)run.OutputCompilation.GetTypeByMetadataName("App.Net")!.GetMembers("SummaryText").Single();
        Assert.Contains(name + " (Linear)", (string)summary.ConstantValue!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.4e38", "3.4E+38f")]
    [InlineData("-0.0", "-0f")]
    [InlineData("1e-50", "0f")]
    [InlineData("double.Epsilon", "0f")]
    public void ExtremeButFiniteSlopesAreWrittenAsFloatLiterals(string slope, string literal)
    {
        GeneratorRun run = AssertCompiles(
            "using ConvGen;\nnamespace App;\n[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]\n[Flatten, Linear(64, 10), LeakyReLU(NegativeSlope = " + slope + ")]\npublic sealed partial record Net;\n");
        Assert.Contains("LeakyReluForward(fc1Output.AsSpan(0, batch * 10), leakyrelu1Output, " + literal + ");", run.GeneratedText("App.Net.g.cs"), StringComparison.Ordinal);
    }

    // Generated, with no ConvGen diagnostic, and the generated code adds no error or warning to the source's own.
    private static GeneratorRun AssertCompiles(params string[] sources)
    {
        (GeneratedCodeFuzzTests.Outcome outcome, string? detail) = GeneratedCodeFuzzTests.Check(GeneratorDriverHelper.Compile(), sources);
        Assert.True(outcome == GeneratedCodeFuzzTests.Outcome.Compiled, outcome + ": " + detail);
        GeneratorRun run = GeneratorDriverHelper.Run(sources);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.NotEmpty(run.GeneratedSources);
        return run;
    }
}
