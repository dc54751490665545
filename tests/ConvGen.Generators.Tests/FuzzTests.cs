using ConvGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Seeded fuzzing: thousands of truncated, mutated and spliced variants of real network declarations. Whatever the
/// text, the generator must not throw, must finish, and every diagnostic it reports must point inside the source.
/// </summary>
public sealed class FuzzTests
{
    private const int VariantsPerSeed = 600;

    private static readonly string[] Declarations =
    [
        """
        using ConvGen;
        [Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
        [Conv2d(32, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
        [Conv2d(64, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
        [Flatten, Linear(3136, 1024), ReLU, Dropout(0.5), Linear(1024, 10)]
        public sealed partial record MnistNet;
        """,
        """
        using ConvGen;
        namespace Demo;
        [Network(InputChannels = 3, InputHeight = 32, InputWidth = 32)]
        [Conv2d(6, Kernel = 4, Stride = 2, InChannels = 3, Bias = false, Name = "stem"), ReLU, AvgPool2d(2, Stride = 1, Padding = 1)]
        [Flatten, Linear(inFeatures: 1536, outFeatures: 10)]
        public partial record CifarNet;
        """,
        """
        using ConvGen;
        [Network(InputChannels = 2, InputLength = 100)]
        [Conv1d(16, Kernel = 5, Stride = 2, Padding = 2), ReLU, Conv1d(16, Kernel = 3, Dilation = 2, Groups = 4, PaddingMode = "same"), Softmax]
        [Flatten, Linear(800, 4), LogSoftmax]
        public sealed partial record SignalNet;
        """,
        """
        using ConvGen;
        [Network(InputChannels = 2, InputHeight = 6, InputWidth = 6)]
        [Conv2d(4, Kernel = 3), BatchNorm2d, ReLU, MaxPool2d(2)]
        [Conv2d(6, Kernel = 2, Bias = false), BatchNorm2d(6, Eps = 1e-3, Momentum = 0.3), ReLU]
        [Flatten, Linear(6, 3)]
        public sealed partial record BatchNormNet;
        """,
    ];

    // Fragments a typing user, or a bad merge, leaves behind: punctuation, names, absurd and negative numbers.
    private static readonly string[] Fragments =
    [
        "[", "]", "(", ")", ",", "=", ";", "\"", "{", "}", ":", "0", "-1", "1", "7", "2147483647", "-2147483648",
        "1000000000", "1e9", "0.5", "1.5", "double.NaN", "Kernel", "Stride", "Padding", "InChannels", "Name = \"x\"",
        "Conv2d(", "Linear(", "MaxPool2d(", "Flatten", "ReLU", "Dropout(", "Network(", "partial", "record", "class",
        "struct", "static", "<T>", "\n", " ", "//", "/*", "#if X", "Conv1d(", "InputLength", "Softmax", "LogSoftmax", "Dilation",
        "Groups", "PaddingMode = \"same\"",
        "BatchNorm2d", "Momentum = ", "Eps = ",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void NoVariantMakesTheGeneratorThrowHangOrPointOutsideTheSource(int seed)
    {
        var random = new Random(seed);
        int diagnosed = 0, generated = 0;
        for (int i = 0; i < VariantsPerSeed; i++)
        {
            string source = Mutate(Declarations[random.Next(Declarations.Length)], random);
            using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            GeneratorRun run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Compile(source), hang.Token);

            Assert.True(run.Result.Exception is null, $"variant {i} of seed {seed} threw {run.Result.Exception}:\n{source}");
            Assert.DoesNotContain(run.GeneratorDiagnostics, diagnostic => diagnostic.Id == "CS8785");
            foreach (Diagnostic diagnostic in run.GeneratorDiagnostics)
            {
                AssertInside(diagnostic, source, $"variant {i} of seed {seed}");
            }

            diagnosed += run.GeneratorDiagnostics.IsEmpty ? 0 : 1;
            generated += run.GeneratedSources.IsEmpty ? 0 : 1;
        }

        // The mutations must reach both outcomes, or the test proves nothing about either.
        Assert.True(diagnosed > VariantsPerSeed / 20, $"only {diagnosed} variants were diagnosed");
        Assert.True(generated > VariantsPerSeed / 20, $"only {generated} variants generated code");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomLayerListsNeverMakeTheGeneratorThrow(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < VariantsPerSeed; i++)
        {
            // A declaration whose layer list is a random soup of fragments, brackets and all.
            string soup = string.Concat(Enumerable.Range(0, 1 + random.Next(25)).Select(_ => Fragments[random.Next(Fragments.Length)]));
            string source = "using ConvGen;\n[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]\n[" + soup + "]\npublic sealed partial record Net;\n";
            GeneratorRun run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Compile(source));

            Assert.True(run.Result.Exception is null, $"random variant {i} of seed {seed} threw {run.Result.Exception}:\n{source}");
            foreach (Diagnostic diagnostic in run.GeneratorDiagnostics)
            {
                AssertInside(diagnostic, source, $"random variant {i} of seed {seed}");
            }
        }
    }

    [Theory]
    [InlineData("Conv2d(8, {|CG0002:Kernel = 1000000|})", "CG0002")]
    [InlineData("MaxPool2d({|CG0002:1000000|})", "CG0002")]
    [InlineData("Conv2d(8, Kernel = 3, {|CG0002:Padding = 1000000|})", "CG0015")]
    public void AbsurdSizesGiveADiagnosticNotAnOverflow(string layer, string id)
    {
        GeneratorRun run = GeneratorDriverHelper.Run(
            "using ConvGen;\n[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]\n[" + layer.Replace("{|CG0002:", "").Replace("|}", "") + ", Flatten, Linear(64, 10)]\npublic sealed partial record Net;\n");

        Assert.Null(run.Result.Exception);
        Assert.Contains(run.GeneratorDiagnostics, diagnostic => diagnostic.Id == id);
        Assert.Empty(run.GeneratedSources);
    }

    private static void AssertInside(Diagnostic diagnostic, string source, string variant)
    {
        Assert.True(diagnostic.Location != Location.None, $"{variant}: {diagnostic.Id} has no location");
        TextSpan span = diagnostic.Location.SourceSpan;
        Assert.True(span.Start >= 0 && span.End <= source.Length, $"{variant}: {diagnostic.Id} at {span} is outside the {source.Length} characters");
        FileLinePositionSpan lines = diagnostic.Location.GetLineSpan();
        int lineCount = source.Split('\n').Length;
        Assert.True(lines.EndLinePosition.Line < lineCount, $"{variant}: {diagnostic.Id} ends on line {lines.EndLinePosition.Line} of {lineCount}");
    }

    // One to three edits: truncate, delete a run, insert a fragment, or replace a number.
    private static string Mutate(string source, Random random)
    {
        int edits = 1 + random.Next(3);
        for (int edit = 0; edit < edits && source.Length > 0; edit++)
        {
            int at = random.Next(source.Length);
            source = random.Next(4) switch
            {
                0 => source[..at],
                1 => source.Remove(at, Math.Min(source.Length - at, 1 + random.Next(12))),
                2 => source.Insert(at, Fragments[random.Next(Fragments.Length)]),
                _ => ReplaceNumber(source, random),
            };
        }

        return source;
    }

    private static string ReplaceNumber(string source, Random random)
    {
        int[] digits = Enumerable.Range(0, source.Length).Where(i => char.IsDigit(source[i])).ToArray();
        if (digits.Length == 0)
        {
            return source;
        }

        int at = digits[random.Next(digits.Length)];
        int end = at;
        while (end < source.Length && char.IsDigit(source[end]))
        {
            end++;
        }

        string[] numbers = ["0", "-3", "1", "999999999", "2147483647", "65536", "33"];
        return source[..at] + numbers[random.Next(numbers.Length)] + source[end..];
    }
}
