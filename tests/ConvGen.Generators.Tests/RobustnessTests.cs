using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The generator runs on every keystroke: on half-typed, garbled or absurd declarations it must not throw (the
/// compiler would report CS8785 and drop all its output), and what it does generate must compile.
/// </summary>
public sealed class RobustnessTests
{
    private const string Net = "public sealed partial record Net;";
    private const string Input = "[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]\n";

    public static TheoryData<string> HalfTyped => new()
    {
        Input + "[Conv2d(\n" + Net,
        Input + "[Flatten, Linear(3136,\n" + Net,
        "[Network(InputChannels = ]\n" + Net,
        "[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8\n" + Net,
        Input + "[Flatten, Linear(64, 10)]\npublic sealed partial record Net",
        Input + "[Flatten, Linear(64, 10)]\npublic sealed partial record",
        Input + "[Flatten, Linear(64, 10)]\npublic sealed partial record Net<T, >;",
        Input + "[Conv2d(8, Kernel = , Padding = 1)]\n" + Net,
        Input + "[Conv2d(outChannels: )]\n" + Net,
        Input + "[Linear(: 10)]\n" + Net,
        Input + "[Conv2d(8, = 3)]\n" + Net,
        Input + "[Conv2d(8, Name = )]\n" + Net,
        Input + "[, , Flatten, , Linear(64, 10)]\n" + Net,
        Input + "[Flatten Linear(64, 10)]\n" + Net,
        Input + "[Flatten, Linear(64, 10)\n" + Net,
        Input + "[Flatten, Linear(64, 10)]]\n" + Net,
        Input + "[Flatten, Linear(64, 10)]\npublic sealed partial record Net {",
        Input + "[Conv2d(8, PaddingMode = )]\n" + Net,
        Input + "[Conv2d(8, Kernel = 3, Dilation = , Groups = )]\n" + Net,
        Input + "[AdaptiveAvgPool2d(\n" + Net,
        Input + "[AdaptiveAvgPool2d(2, ), Flatten, Linear(4, 10)]\n" + Net,
        Input + "[GlobalAvgPool2d(, Flatten, Linear(1, 10)]\n" + Net,
        Input + "[MaxPool2d(KernelHeight = 2, KernelWidth = , CeilMode = )]\n" + Net,
    };

    public static TheoryData<string> Wrong => new()
    {
        Input + "[Conv2d(8, Kernel = \"3\")]\n" + Net,
        Input + "[Dropout(\"half\")]\n" + Net,
        Input + "[Conv2d(8, 3, 3)]\n" + Net,
        Input + "[Conv2d]\n" + Net,
        Input + "[Conv2d(8, Kernel = Sizes.Missing)]\n" + Net,
        Input + "[Flatten, Unknown(3), Linear(64, 10)]\n" + Net,
        Input + "[Flatten, Linear(64, 10)]\npublic partial interface INet;",
        // [Network] on two partial declarations, with and without layers: CS0579, and one generated file at most.
        Input + "[Flatten, Linear(64, 10)]\npublic partial record Net;\n" + Input + "[Flatten, Linear(64, 10)]\npublic partial record Net;",
        Input + "public sealed partial record Net;\n" + Input + "public sealed partial record Net;",
        Input + "[Flatten, Linear(64, 10)]\npublic sealed partial record Net;\npublic sealed partial record Net;",
    };

    public static TheoryData<string> Absurd => new()
    {
        "[Network(InputChannels = 100000, InputHeight = 100000, InputWidth = 100000)]\n[MaxPool2d(100000), Flatten, Linear(100000, 10)]\n" + Net,
        "[Network(InputChannels = int.MaxValue, InputHeight = int.MaxValue, InputWidth = int.MaxValue)]\n[Flatten, Linear(1, 1)]\n" + Net,
        Input + "[Conv2d(8, Kernel = int.MaxValue, Padding = int.MaxValue, Stride = int.MaxValue), Flatten, Linear(8, 10)]\n" + Net,
        Input + "[Conv2d(int.MaxValue, Kernel = int.MaxValue)]\n" + Net,
        Input + "[Flatten, Linear(64, 10), Linear(10, int.MaxValue)]\n" + Net,
        Input + "[Flatten, Linear(64, 30000), Linear(30000, 30000)]\n" + Net,
        Input + "[Flatten, Linear(64, 10, Name = \"a \\\"quoted\\\" <name> & \\\\ more\")]\n" + Net,
        Input + "[Flatten, Linear(64, 10, Name = \"1st\")]\n" + Net,
        Input + "[Flatten, Linear(64, 10, Name = \"class\")]\n" + Net,
        // 2.5 billion parameters: more than the int the generated ParameterCount and offsets are (CG0022).
        Input + "[Flatten, Linear(64, 50000), Linear(50000, 50000)]\n" + Net,
        Input + "[Conv2d(8, Kernel = int.MaxValue, Dilation = int.MaxValue, PaddingMode = \"same\"), Flatten, Linear(512, 10)]\n" + Net,
        Input + "[Conv2d(int.MaxValue, Kernel = 3, Groups = int.MaxValue), Flatten, Linear(8, 10)]\n" + Net,
        Input + "[Conv2d(8, Kernel = 3, Dilation = int.MaxValue, Padding = int.MaxValue), Flatten, Linear(8, 10)]\n" + Net,
        Input + "[AdaptiveAvgPool2d(int.MaxValue, 1), Flatten, Linear(8, 10)]\n" + Net,
        Input + "[AdaptiveAvgPool2d(5000, 5000), Flatten, Linear(25000000, 10)]\n" + Net,
        Input + "[MaxPool2d(int.MaxValue, Padding = int.MaxValue, CeilMode = true), AvgPool2d(2, Stride = int.MaxValue, CeilMode = true), Flatten, Linear(1, 10)]\n" + Net,
        Input + "[Conv2d(8, PaddingMode = null), Conv2d(8, PaddingMode = \"SAME\"), Flatten, Linear(512, 10)]\n" + Net,
    };

    /// <summary>Declarations whose generated code once failed to compile; now each is diagnosed or compiles (issue #19).</summary>
    public static TheoryData<string> OnceGeneratedBrokenCode => new()
    {
        // A positional record's constructors must chain to its primary constructor: CG0027.
        Input + "[Flatten, Linear(64, 10)]\npublic sealed partial record Net(int Width);",
        // Distinct names, one C# identifier (Conv1): CG0030.
        Input + "[Conv2d(8, Name = \"conv-1\"), Conv2d(8, Name = \"conv_1\"), Flatten, Linear(512, 10)]\n" + Net,
        // A line break in a name, written into comments and docs: escaped.
        Input + "[Flatten, Linear(64, 10, Name = \"two\\nlines\")]\n" + Net,
    };

    [Theory]
    [MemberData(nameof(HalfTyped))]
    [MemberData(nameof(Wrong))]
    [MemberData(nameof(Absurd))]
    [MemberData(nameof(OnceGeneratedBrokenCode))]
    public void NeverThrowsNorGeneratesCodeThatDoesNotCompile(string declaration)
    {
        GeneratorRun run = GeneratorDriverHelper.Run(DiagnosticAssert.Header + declaration);
        AssertDidNotThrow(run);
        Assert.DoesNotContain(run.CompilationDiagnostics, diagnostic => IsGenerated(run, diagnostic.Location.SourceTree));
    }

    [Fact]
    public void SurvivesTypingOrDeletingAnyTokenOfARealDeclaration()
    {
        // One driver fed every prefix of the MNIST declaration, token by token, and every variant with one token
        // deleted: what the IDE hands the generator while someone types or edits.
        CSharpCompilation compilation = GeneratorDriverHelper.Compile(Networks.Mnist);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        string text = tree.GetText().ToString();
        int declarationStart = text.IndexOf("[Network", StringComparison.Ordinal);
        GeneratorRun run = GeneratorDriverHelper.Run(compilation);
        foreach (SyntaxToken token in tree.GetRoot().DescendantTokens().Where(token => token.SpanStart >= declarationStart))
        {
            foreach (string variant in new[] { text.Substring(0, token.Span.End), text.Remove(token.SpanStart, token.Span.Length) })
            {
                run = GeneratorDriverHelper.Rerun(run, compilation.ReplaceSyntaxTree(tree, GeneratorDriverHelper.Parse(variant, tree.FilePath)));
                AssertDidNotThrow(run);
                // Declarations only: binding every generated method body per variant would make this test slow.
                Assert.DoesNotContain(
                    run.GeneratedSources.SelectMany(source => run.OutputCompilation.GetSemanticModel(source.SyntaxTree).GetDeclarationDiagnostics()),
                    diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning);
            }
        }
    }

    private static void AssertDidNotThrow(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, diagnostic => diagnostic.Id == "CS8785");
    }

    private static bool IsGenerated(GeneratorRun run, SyntaxTree? tree) =>
        run.GeneratedSources.Any(source => source.SyntaxTree == tree);
}
