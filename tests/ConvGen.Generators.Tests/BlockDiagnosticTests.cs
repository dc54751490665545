using Microsoft.CodeAnalysis;
using static ConvGen.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace ConvGen.Generators.Tests;

/// <summary>
/// What residual units, concatenations and the blocks they use report: branches that cannot be added (CG0033) or
/// joined (CG0034), unusable blocks (CG0035-CG0037), and every layer check inside a block, placed on the attribute that
/// uses the block and naming the layer by its place (<c>res1.conv1</c>). Each with its corrected twin, which must report
/// nothing and compile.
/// </summary>
public sealed class BlockDiagnosticTests
{
    private const string Blocks = """
        /// <summary>Two 3x3 convolutions keeping 16 channels.</summary>
        [Block]
        [Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d]
        public sealed partial record Basic16;

        /// <summary>Two 3x3 convolutions, the first halving the size, to 32 channels.</summary>
        [Block]
        [Conv2d(32, Kernel = 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU, Conv2d(32, Kernel = 3, Padding = 1), BatchNorm2d]
        public sealed partial record Down32;

        /// <summary>The projection to Down32's shape.</summary>
        [Block]
        [Conv2d(32, Kernel = 1, Stride = 2), BatchNorm2d]
        public sealed partial record Project32;

        /// <summary>A projection that forgets the stride.</summary>
        [Block]
        [Conv2d(32, Kernel = 1), BatchNorm2d]
        public sealed partial record Widen32;

        /// <summary>A 3x3 convolution without padding.</summary>
        [Block]
        [Conv2d(8, Kernel = 3)]
        public sealed partial record Valid8;

        /// <summary>A 3x3 convolution with padding.</summary>
        [Block]
        [Conv2d(8, Kernel = 3, Padding = 1)]
        public sealed partial record Same8;

        /// <summary>A 1x1 convolution.</summary>
        [Block]
        [Conv2d(8, Kernel = 1)]
        public sealed partial record Pointwise8;

        /// <summary>A convolution declaring 8 in-channels.</summary>
        [Block]
        [Conv2d(16, Kernel = 3, Padding = 1, InChannels = 8), BatchNorm2d]
        public sealed partial record From8;

        /// <summary>Nothing at all.</summary>
        [Block]
        public sealed partial record Nothing;

        /// <summary>A record without [Block].</summary>
        [Conv2d(16, Kernel = 3, Padding = 1)]
        public sealed partial record Plain;

        /// <summary>A block using itself through another.</summary>
        [Block]
        [Conv2d(16, Kernel = 3, Padding = 1), Residual<Loop2>]
        public sealed partial record Loop1;

        /// <summary>The other half of the loop.</summary>
        [Block]
        [Conv2d(16, Kernel = 3, Padding = 1), Residual<Loop1>]
        public sealed partial record Loop2;

        /// <summary>A generic record.</summary>
        [Block]
        [Conv2d(16, Kernel = 3, Padding = 1)]
        public sealed partial record Generic<T>;

        /// <summary>An abstract record.</summary>
        [Block]
        [Conv2d(16, Kernel = 3, Padding = 1)]
        public abstract partial record Abstract;

        /// <summary>A class, not a record.</summary>
        [Block]
        [Conv2d(16, Kernel = 3, Padding = 1)]
        public sealed partial class NotRecord;

        /// <summary>Holds a nested block.</summary>
        public static partial class Outer
        {
            /// <summary>A nested block.</summary>
            [Block]
            [Conv2d(16, Kernel = 3, Padding = 1)]
            public sealed partial record Inner;
        }

        /// <summary>A residual unit inside a block.</summary>
        [Block]
        [Conv2d(16, Kernel = 1), Residual<Basic16>]
        public sealed partial record Nested;

        """;

    private static string Net(string layers, int channels = 16, int size = 28) =>
        Blocks + "[Network(InputChannels = " + channels + ", InputHeight = " + size + ", InputWidth = " + size + ")]\n[" + layers + "]\npublic sealed partial record Net;\n";

    [Fact, DiagnosticTest("CG0033")]
    public void IdentityShortcutAfterAStridedBranch() => Reports(
        Net("{|CG0033:Residual<Down32>=>Residual<Down32, Project32>|}, ReLU, GlobalAvgPool2d, Flatten, Linear(32, 10)"),
        Error("Residual 'res1' cannot add its branches: main 32x14x14 (16x28x28 -> res1.conv1 32x14x14 -> res1.bn1 32x14x14 -> res1.relu1 32x14x14 -> res1.conv2 32x14x14 "
            + "-> res1.bn2 32x14x14) but shortcut 16x28x28 (identity)"));

    [Fact, DiagnosticTest("CG0033")]
    public void ProjectionWithoutTheStride() => Reports(
        Net("Residual<Basic16>, ReLU, {|CG0033:Residual<Down32, Widen32>=>Residual<Down32, Project32>|}, ReLU, GlobalAvgPool2d, Flatten, Linear(32, 10)"),
        Error("Residual 'res2' cannot add its branches: main 32x14x14 (16x28x28 -> res2.conv1 32x14x14 -> res2.bn1 32x14x14 -> res2.relu1 32x14x14 -> res2.conv2 32x14x14 "
            + "-> res2.bn2 32x14x14) but shortcut 32x28x28 (16x28x28 -> res2.shortcut.conv1 32x28x28 -> res2.shortcut.bn1 32x28x28)"));

    [Fact, DiagnosticTest("CG0034")]
    public void ConcatOfBranchesOneShrinks() => Reports(
        Net("{|CG0034:Concat<Valid8, Pointwise8>=>Concat<Same8, Pointwise8>|}, Flatten, Linear(4096, 10)", channels: 3, size: 16),
        Error("Concat 'cat1' joins branches of different height and width: 'branch1' gives 8x14x14 (3x16x16 -> cat1.branch1.conv1 8x14x14) "
            + "but 'branch2' gives 8x16x16 (3x16x16 -> cat1.branch2.conv1 8x16x16)"));

    [Fact, DiagnosticTest("CG0035")]
    public void EmptyBlock() => Reports(
        Net("{|CG0035:Residual<Nothing>=>Residual<Basic16>|}, Flatten, Linear(12544, 10)"),
        Error("Block 'Nothing' used by 'Residual<Nothing>' declares no layers; give it at least one layer attribute"));

    [Fact, DiagnosticTest("CG0036")]
    public void BlockUsingItselfThroughAnother() => Reports(
        Net("{|CG0036:Residual<Loop1>=>Residual<Nested>|}, Flatten, Linear(12544, 10)"),
        Error("Block 'Loop1' uses itself (Loop1 -> Loop2 -> Loop1); a block cannot contain itself"));

    [Theory, DiagnosticTest("CG0037")]
    [InlineData("Plain", "is not marked [Block]: add [Block] to its declaration")]
    [InlineData("Generic<int>", "is generic: a block's layers cannot depend on type arguments; declare a non-generic record")]
    [InlineData("Abstract", "is abstract: a block is a concrete list of layers; remove 'abstract'")]
    [InlineData("NotRecord", "is not a record class: declare it as 'partial record'")]
    [InlineData("Outer.Inner", "is nested in 'Outer': declare blocks at the top level of a namespace")]
    public void UnsupportedBlock(string type, string message) => Reports(
        Net("{|CG0037:Residual<" + type + ">=>Residual<Basic16>|}, Flatten, Linear(12544, 10)"),
        Error("'" + type.Split('<', '.').Last(part => part.Length > 0 && !part.EndsWith('>')) + "' used by 'Residual<" + type + ">' " + message));

    // Every check inside a block reports on the use, naming the layer by its dotted name.
    [Fact, DiagnosticTest("CG0008")]
    public void InChannelsMismatchInsideABlock() => Reports(
        Net("{|CG0008:Residual<From8>=>Residual<Basic16>|}, Flatten, Linear(12544, 10)"),
        Error("Conv2d 'res1.conv1' declares 8 in-channels but receives 16: 16x28x28"));

    // A residual unit inside a block is one step of the derivation, named by its place.
    [Fact, DiagnosticTest("CG0033")]
    public void NestedUnitChangingTheChannels() => Reports(
        Net("Conv2d(8, Kernel = 1), {|CG0033:Residual<Nested>=>Residual<Pointwise8>|}, Flatten, Linear(6272, 10)"),
        Error("Residual 'res1' cannot add its branches: main 16x28x28 (8x28x28 -> res1.conv1 16x28x28 -> res1.res1 16x28x28) but shortcut 8x28x28 (identity)"));

    [Fact]
    public void ALayerInsideABlockReportsAtEveryUseWithItsName()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Header + Net("Residual<Basic16>, Residual<From8>, Residual<From8, Basic16>, Flatten, Linear(12544, 10)"));
        Assert.Equal(
            ["Conv2d 'res2.conv1' declares 8 in-channels but receives 16", "Conv2d 'res3.conv1' declares 8 in-channels but receives 16"],
            run.GeneratorDiagnostics.Select(diagnostic => diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Split(':')[0]));
        Assert.All(run.GeneratorDiagnostics, diagnostic => Assert.False(diagnostic.Properties.ContainsKey("ConvGen.InferredValue")));
        Assert.Empty(run.GeneratedSources);
    }

    [Fact]
    public void DuplicateNamesInsideABlockAreTheUsesError()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Header + Blocks + """
            /// <summary>Two layers named alike.</summary>
            [Block]
            [Conv2d(16, Kernel = 1, Name = "same"), Conv2d(16, Kernel = 1, Name = "same")]
            public sealed partial record Twice;

            [Network(InputChannels = 16, InputHeight = 4, InputWidth = 4)]
            [Residual<Twice>, Flatten, Linear(256, 10)]
            public sealed partial record Net;
            """);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("CG0013", diagnostic.Id);
        string source = diagnostic.Location.SourceTree!.ToString();
        Assert.Equal("Residual<Twice>", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }
}
