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
    public void EditingTheNetworkFileAboveTheNetworkReportsAgainButKeepsTheGeneratedSource()
    {
        // Every location in the file moves: the parse and its diagnostics change, the model the emitter prints does not.
        GeneratorRun first = GeneratorDriverHelper.Run(Networks.Mnist);
        GeneratorRun second = Rerun(first, "Source0.cs", text => "// A comment that moves every line below it.\n\n" + text);
        Assert.Equal([IncrementalStepRunReason.Modified], second.OutputReasons(StepNames.Parse));
        Assert.Contains(second.OutputReasons(StepNames.Emittable).Single(), new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });
        Assert.All(EmissionOutputs(second), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(first.GeneratedText(Networks.MnistHintName), second.GeneratedText(Networks.MnistHintName));
    }

    [Fact]
    public void EditingAboveANetworkWithAWarningMovesTheWarningOnly()
    {
        // A 3x3 pool over 14x14 leaves the last 2 rows and columns unused (CG0007): 64x4x4 = 1024 features.
        string source = Networks.Mnist
            .Replace("MaxPool2d(2)]\n[Flatten", "MaxPool2d(3)]\n[Flatten", StringComparison.Ordinal)
            .Replace("Linear(3136,", "Linear(1024,", StringComparison.Ordinal);
        Assert.NotEqual(Networks.Mnist, source);
        GeneratorRun first = GeneratorDriverHelper.Run(source);
        GeneratorRun second = Rerun(first, "Source0.cs", text => "\n\n" + text);
        Assert.All(EmissionOutputs(second), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        int LineOf(GeneratorRun run, string id) => run.GeneratorDiagnostics.Single(diagnostic => diagnostic.Id == id).Location.GetLineSpan().StartLinePosition.Line;
        Assert.Equal(LineOf(first, "CG0007") + 2, LineOf(second, "CG0007"));
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
        Assert.All(EmissionOutputs(second), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(first.GeneratedText(Networks.MnistHintName), second.GeneratedText(Networks.MnistHintName));
    }

    // The outputs that add generated sources (not the diagnostics, which are re-placed in each new compilation's trees).
    private static List<(object Value, IncrementalStepRunReason Reason)> EmissionOutputs(GeneratorRun run)
    {
        var outputs = run.Result.TrackedOutputSteps.SelectMany(step => step.Value)
            .Where(step => step.Inputs.Any(input => input.Source.Name == StepNames.Emittable))
            .SelectMany(step => step.Outputs)
            .ToList();
        Assert.NotEmpty(outputs);
        return outputs;
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
