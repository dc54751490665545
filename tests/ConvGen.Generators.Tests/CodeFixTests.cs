using ConvGen.CodeFixes;
using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The code fix, applied as the IDE applies it: in an AdhocWorkspace, to the diagnostic the generator reported; the
/// fixed source must then build with no diagnostic at all.
/// </summary>
public sealed class CodeFixTests
{
    [Theory]
    [InlineData(
        "[Conv2d(32, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)] [Conv2d(64, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)] [Flatten, Linear(100, 1024), ReLU, Dropout(0.5), Linear(1024, 10)]",
        "CG0001", "Linear(3136, 1024)", "Set in-features to 3136, the size that flows in")]
    [InlineData(
        "[Conv2d(32, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)] [Conv2d(64, Kernel = 5, Padding = 2, InChannels = 3), ReLU, MaxPool2d(2)] [Flatten, Linear(3136, 10)]",
        "CG0008", "InChannels = 32", "Set in-channels to 32, the size that flows in")]
    [InlineData(
        "[Conv2d(32, Kernel = 5, Padding = 2), BatchNorm2d(23, Momentum = 0.2), ReLU, MaxPool2d(2)] [Flatten, Linear(6272, 10)]",
        "CG0025", "BatchNorm2d(32, Momentum = 0.2)", "Set features to 32, the size that flows in")]
    [InlineData(
        "[Flatten, Linear(inFeatures: /* wrong */ 100, outFeatures: 10)]",
        "CG0001", "Linear(inFeatures: /* wrong */ 784, outFeatures: 10)", "Set in-features to 784, the size that flows in")]
    public async Task TheFixWritesTheInferredSizeAndTheResultBuildsCleanly(string layers, string id, string fixedText, string title)
    {
        string source = "using ConvGen;\n[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]\n" + layers + "\npublic sealed partial record Net;\n";
        Diagnostic diagnostic = GeneratorDriverHelper.Run(source).GeneratorDiagnostics.Single(d => d.Id == id);

        (string[] fixedSources, string actionTitle) = await CodeFixRunner.ApplyAsync(new InferredSizeCodeFixProvider(), [source], diagnostic);
        string fixedSource = fixedSources[0];

        Assert.Equal(title, actionTitle);
        Assert.Contains(fixedText, fixedSource);
        GeneratorDriverHelper.Run(fixedSource).AssertCompilesCleanly();
    }

    [Fact]
    public void TheProviderFixesExactlyTheMismatchDiagnostics()
    {
        Assert.Equal(["CG0001", "CG0008", "CG0025"], new InferredSizeCodeFixProvider().FixableDiagnosticIds.Order());
    }
}
