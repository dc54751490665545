using Microsoft.CodeAnalysis;
using static ConvGen.Generators.ConvGenGenerator;

namespace ConvGen.Generators.Tests;

/// <summary>
/// What a second run of the same driver recomputes: nothing when the change is elsewhere, the network's steps when its
/// declaration changes. This is what keeps the IDE responsive while typing.
/// </summary>
public sealed class IncrementalityTests
{
    private const string Unrelated = "namespace Elsewhere;\n\npublic static class Helpers\n{\n}\n";

    [Fact]
    public void AddingAnUnrelatedFileReusesEveryStep()
    {
        GeneratorRun first = GeneratorDriverHelper.Run(Networks.Mnist);
        GeneratorRun second = GeneratorDriverHelper.Rerun(first, first.InputCompilation.AddSyntaxTrees(GeneratorDriverHelper.Parse(Unrelated, "Helpers.cs")));
        AssertReused(first, second);
    }

    [Fact]
    public void EditingAnUnrelatedFileReusesEveryStep()
    {
        GeneratorRun first = GeneratorDriverHelper.Run(Networks.Mnist, Unrelated);
        GeneratorRun second = Rerun(first, "Source1.cs", text => text.Replace("{\n}", "{\n    public const int Answer = 42;\n}", StringComparison.Ordinal));
        AssertReused(first, second);
    }

    [Fact]
    public void EditingTheNetworkFileBelowTheNetworkReparsesToAnEqualModel()
    {
        // Nothing the model holds moved: the same spans, the same values.
        GeneratorRun first = GeneratorDriverHelper.Run(Networks.Mnist);
        GeneratorRun second = Rerun(first, "Source0.cs", text => text + "\npublic static class Below\n{\n}\n");
        AssertReused(first, second);
    }

    [Fact]
    public void ChangingAKernelSizeRecomputesAndRegenerates()
    {
        GeneratorRun first = GeneratorDriverHelper.Run(Networks.Mnist);
        GeneratorRun second = Rerun(first, "Source0.cs", text => text.Replace("Conv2d(32, Kernel = 5, Padding = 2)", "Conv2d(32, Kernel = 3, Padding = 1)", StringComparison.Ordinal));
        Assert.Equal([IncrementalStepRunReason.Modified], second.OutputReasons(StepNames.Parse));
        Assert.Equal([IncrementalStepRunReason.Modified], second.OutputReasons(StepNames.Analyze));
        second.AssertCompilesCleanly();
        string before = first.GeneratedText(Networks.MnistHintName);
        string after = second.GeneratedText(Networks.MnistHintName);
        Assert.NotEqual(before, after);
        Assert.Contains("KernelHeight: 3, KernelWidth: 3", after, StringComparison.Ordinal);
    }

    // Any new compilation makes ForAttributeWithMetadataName parse again, since symbols may have changed; the model it
    // gives compares equal (Unchanged), so every step after Parse, and the source output, is reused (Cached).
    private static void AssertReused(GeneratorRun first, GeneratorRun second)
    {
        Assert.Equal([IncrementalStepRunReason.Unchanged], second.OutputReasons(StepNames.Parse));
        Assert.Equal([IncrementalStepRunReason.Cached], second.OutputReasons(StepNames.Analyze));
        var sourceOutputs = second.Result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(sourceOutputs, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(first.GeneratedText(Networks.MnistHintName), second.GeneratedText(Networks.MnistHintName));
    }

    private static GeneratorRun Rerun(GeneratorRun previous, string path, Func<string, string> edit)
    {
        SyntaxTree tree = previous.InputCompilation.SyntaxTrees.Single(candidate => candidate.FilePath == path);
        string text = tree.GetText().ToString();
        string edited = edit(text);
        Assert.NotEqual(text, edited);
        return GeneratorDriverHelper.Rerun(previous, previous.InputCompilation.ReplaceSyntaxTree(tree, GeneratorDriverHelper.Parse(edited, path)));
    }
}
