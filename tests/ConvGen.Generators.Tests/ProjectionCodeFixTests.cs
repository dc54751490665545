using ConvGen.CodeFixes;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The CG0033 code fix, applied as the IDE applies it: to a residual whose projection shortcut gives another shape
/// than the main branch, it writes the out-channels or the stride in the shortcut block's declaration, and the fixed
/// source must then build with no diagnostic at all. Where no single such edit gives the main branch's shape, none is offered.
/// </summary>
public sealed class ProjectionCodeFixTests
{
    // The main branch halves 16x28x28 to 32x14x14 (a 3x3 stride-2 convolution, padding 1).
    private const string Down32 = """
        /// <summary>Two 3x3 convolutions, the first halving the size, to 32 channels.</summary>
        [Block]
        [Conv2d(32, Kernel = 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU, Conv2d(32, Kernel = 3, Padding = 1), BatchNorm2d]
        public sealed partial record Down32;

        """;

    private const string Network = """
        [Network(InputChannels = 16, InputHeight = 28, InputWidth = 28)]
        [Residual<Down32, Project>, ReLU, GlobalAvgPool2d, Flatten, Linear(32, 10)]
        public sealed partial record Net;

        """;

    [Theory]
    // 1x1 with 16 out-channels: 16x14x14 against 32x14x14.
    [InlineData("[Conv2d(16, Kernel = 1, Stride = 2), BatchNorm2d]", "[Conv2d(32, Kernel = 1, Stride = 2), BatchNorm2d]", "out-channels to 32")]
    // The channel-changing Conv2d is the last of two; the first keeps 16 channels. BatchNorm2d's features are inferred.
    [InlineData(
        "[Conv2d(16, Kernel = 3, Padding = 1), ReLU, Conv2d(outChannels: /* wide */ 64, Kernel = 1, Stride = 2), BatchNorm2d]",
        "[Conv2d(16, Kernel = 3, Padding = 1), ReLU, Conv2d(outChannels: /* wide */ 32, Kernel = 1, Stride = 2), BatchNorm2d]", "out-channels to 32")]
    // Stride 3 gives floor(27 / 3) + 1 = 10 rows; 2 gives 14.
    [InlineData("[Conv2d(32, Kernel = 1, Stride = 3), BatchNorm2d]", "[Conv2d(32, Kernel = 1, Stride = 2), BatchNorm2d]", "stride to 2")]
    // No stride written (1): 32x28x28; the fix adds it.
    [InlineData("[Conv2d(32, Kernel = 1), BatchNorm2d]", "[Conv2d(32, Kernel = 1, Stride = 2), BatchNorm2d]", "stride to 2")]
    // A 3x3 padded projection: (28 + 2 - 3) / s + 1 = 14 first at s = 2.
    [InlineData("[Conv2d(32, Kernel = 3, Padding = 1, Stride = 4)]", "[Conv2d(32, Kernel = 3, Padding = 1, Stride = 2)]", "stride to 2")]
    public async Task TheFixWritesTheProjectionsArgumentAndTheResultBuildsCleanly(string projection, string fixedProjection, string what)
    {
        string source = Source(projection);
        Diagnostic diagnostic = GeneratorDriverHelper.Run(source).GeneratorDiagnostics.Single(d => d.Id == "CG0033");

        Assert.Equal($"Set the projection's {what}, which gives the main branch's shape", Assert.Single(await ActionsAsync([source], diagnostic)).Title);
        string fixedSource = (await ApplyAsync([source], diagnostic))[0];

        Assert.Equal(Source(fixedProjection), fixedSource);
        GeneratorDriverHelper.Run(fixedSource).AssertCompilesCleanly();
    }

    [Fact]
    public async Task TheFixEditsTheBlockInTheFileThatDeclaresIt()
    {
        string network = "using ConvGen;\n" + Network;
        string blocks = "using ConvGen;\n" + Down32 + "/// <summary>The shortcut.</summary>\n[Block]\n[Conv2d(16, Kernel = 1, Stride = 2), BatchNorm2d]\npublic sealed partial record Project;\n";
        Diagnostic diagnostic = GeneratorDriverHelper.Run(network, blocks).GeneratorDiagnostics.Single(d => d.Id == "CG0033");

        string[] fixedSources = await ApplyAsync([network, blocks], diagnostic);

        Assert.Equal(network, fixedSources[0]);
        Assert.Equal(blocks.Replace("Conv2d(16, Kernel = 1", "Conv2d(32, Kernel = 1"), fixedSources[1]);
        GeneratorDriverHelper.Run(fixedSources).AssertCompilesCleanly();
    }

    [Theory]
    // Both the channels and the size differ: no single argument fixes it.
    [InlineData("[Conv2d(16, Kernel = 1), BatchNorm2d]")]
    // 32 out-channels would meet BatchNorm2d's written 16 features: the edit does not give a clean shortcut.
    [InlineData("[Conv2d(16, Kernel = 1, Stride = 2), BatchNorm2d(16)]")]
    // 64x14x14: the last layer to change the channels is a nested residual, not a Conv2d.
    [InlineData("[Conv2d(16, Kernel = 1, Stride = 2), Residual<Widen64, Widen64>]")]
    // Written per axis: Stride = 2 beside StrideHeight would not say which wins.
    [InlineData("[Conv2d(32, Kernel = 1, StrideHeight = 1, StrideWidth = 1)]")]
    // A 5x5 unpadded projection gives at most 24 rows at stride 1 and 12 at stride 2: no stride gives 14.
    [InlineData("[Conv2d(32, Kernel = 5)]")]
    public async Task NoFixIsOfferedWhenNoSingleArgumentGivesTheMainBranchsShape(string projection)
    {
        string source = Source(projection);
        Diagnostic diagnostic = GeneratorDriverHelper.Run(source).GeneratorDiagnostics.Single(d => d.Id == "CG0033");

        Assert.Empty(await ActionsAsync([source], diagnostic));
        Assert.False(diagnostic.Properties.ContainsKey(ProjectionCodeFixProvider.FixArgumentProperty));
    }

    [Fact]
    public async Task NoFixIsOfferedForAnIdentityShortcut()
    {
        string source = "using ConvGen;\n" + Down32 + Network.Replace("Residual<Down32, Project>", "Residual<Down32>");
        Diagnostic diagnostic = GeneratorDriverHelper.Run(source).GeneratorDiagnostics.Single(d => d.Id == "CG0033");

        Assert.Empty(await ActionsAsync([source], diagnostic));
    }

    [Fact]
    public void TheProviderFixesTheResidualMismatchWithABatchFixAll()
    {
        var provider = new ProjectionCodeFixProvider();
        Assert.Equal(["CG0033"], provider.FixableDiagnosticIds.ToArray());
        Assert.Same(WellKnownFixAllProviders.BatchFixer, provider.GetFixAllProvider());
    }

    private static string Source(string projection) =>
        "using ConvGen;\n" + Down32
        + "/// <summary>Widens to 64 channels.</summary>\n[Block]\n[Conv2d(64, Kernel = 1)]\npublic sealed partial record Widen64;\n\n"
        + "/// <summary>The shortcut.</summary>\n[Block]\n" + projection + "\npublic sealed partial record Project;\n\n" + Network;

    private static Task<List<CodeAction>> ActionsAsync(string[] sources, Diagnostic diagnostic) =>
        CodeFixRunner.ActionsAsync(new ProjectionCodeFixProvider(), sources, diagnostic);

    private static async Task<string[]> ApplyAsync(string[] sources, Diagnostic diagnostic) =>
        (await CodeFixRunner.ApplyAsync(new ProjectionCodeFixProvider(), sources, diagnostic)).Sources;
}
