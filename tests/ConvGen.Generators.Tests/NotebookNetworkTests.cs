using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Emit;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Acceptance: the networks of the course notebooks (../shared/seeds), declared as ConvGen networks. Their generated
/// layouts give, layer by layer, the shapes and parameter counts PyTorch 1.13 gives for the same <c>nn</c> layers
/// (computed once with <c>torch.zeros(1, 1, 28, 28)</c> and written here), and the same network with a wrong
/// <c>Linear</c> in-features fails with CG0001 naming the right number.
/// </summary>
public sealed partial class NotebookNetworkTests
{
    public static TheoryData<string, string, string[], int> Notebooks => new()
    {
        {
            // 000: BasicConvNet((15,15,1,1), (5,5,1,1)); its hand-written Conv2D applies ReLU and one bias.
            "BasicConvNet",
            "[Conv2d(1, Kernel = 15), ReLU, Conv2d(1, Kernel = 5), ReLU, Flatten, Linear(100, 10)]",
            ["1x14x14", "1x14x14", "1x10x10", "1x10x10", "100", "10"],
            1262
        },
        {
            // 001, first ConvNetPadding: two convolutions with padding 1.
            "ConvNetPadding1",
            "[Conv2d(1, Kernel = 14, Padding = 1), ReLU, Conv2d(1, Kernel = 10, Padding = 1), ReLU, Flatten, Linear(100, 10)]",
            ["1x17x17", "1x17x17", "1x10x10", "1x10x10", "100", "10"],
            1308
        },
        {
            // 001, second ConvNetPadding: padding 2 and a third convolution. The notebook's comment says "20x20"; it is 19x19.
            "ConvNetPadding2",
            "[Conv2d(1, Kernel = 14, Padding = 2), ReLU, Conv2d(1, Kernel = 10, Padding = 2), ReLU, Conv2d(1, Kernel = 9, Padding = 2), ReLU, Flatten, Linear(100, 10)]",
            ["1x19x19", "1x19x19", "1x14x14", "1x14x14", "1x10x10", "1x10x10", "100", "10"],
            1390
        },
        {
            // 001, the same model written with per-axis sizes, as the notebook's tuples are.
            "ConvNetPadding2PerAxis",
            "[Conv2d(1, KernelHeight = 14, KernelWidth = 14, PaddingHeight = 2, PaddingWidth = 2), ReLU, Conv2d(1, KernelHeight = 10, KernelWidth = 10, PaddingHeight = 2, PaddingWidth = 2), ReLU]"
                + "[Conv2d(1, KernelHeight = 9, KernelWidth = 9, PaddingHeight = 2, PaddingWidth = 2), ReLU, Flatten, Linear(100, 10)]",
            ["1x19x19", "1x19x19", "1x14x14", "1x14x14", "1x10x10", "1x10x10", "100", "10"],
            1390
        },
        {
            // 001, ConvNetPaddingStride.
            "ConvNetPaddingStride",
            "[Conv2d(1, Kernel = 14, Padding = 2), ReLU, Conv2d(1, Kernel = 8, Padding = 2), ReLU, Conv2d(1, Kernel = 5, Padding = 2, Stride = 2), ReLU, Flatten, Linear(64, 10)]",
            ["1x19x19", "1x19x19", "1x16x16", "1x16x16", "1x8x8", "1x8x8", "64", "10"],
            938
        },
        {
            // 002, the deep CNN for MNIST.
            "MnistNet",
            "[Conv2d(32, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2), Conv2d(64, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]"
                + "[Flatten, Linear(3136, 1024), ReLU, Dropout(0.5), Linear(1024, 10)]",
            ["32x28x28", "32x28x28", "32x14x14", "64x14x14", "64x14x14", "64x7x7", "3136", "1024", "1024", "1024", "10"],
            3274634
        },
        {
            // 003, the exercise: conv1 as given, then layers chosen so the output is 64x1x1, then Linear to 10.
            "ExerciseNet",
            "[Conv2d(16, Kernel = 5), MaxPool2d(2, Stride = 2), Conv2d(64, Kernel = 5), MaxPool2d(8), Flatten, Linear(64, 10)]",
            ["16x24x24", "16x12x12", "64x8x8", "64x1x1", "64", "10"],
            26730
        },
    };

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void GeneratedLayoutGivesPyTorchsShapes(string name, string layers, string[] shapes, int parameters)
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Declaration(name, layers));
        run.AssertCompilesCleanly();
        string generated = run.GeneratedText("Notebooks." + name + ".g.cs");

        Assert.Equal(shapes, LayoutRow().Matches(generated).Select(row => row.Groups["shape"].Value.Replace(", ", "x", StringComparison.Ordinal)));
        Assert.Contains("public const int ParameterCount = " + parameters.ToString(CultureInfo.InvariantCulture) + ";", generated, StringComparison.Ordinal);
        // The summary table shows the same shapes, one row per layer after the input's.
        string[] rows = SummaryRows(generated);
        Assert.Equal(shapes, rows.Skip(1).Select(row => row.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1].Trim()));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void WrongLinearInFeaturesFailsWithTheRightNumber(string name, string layers, string[] shapes, int parameters)
    {
        _ = parameters;
        // The first Linear after Flatten receives the flattened size; declare one less.
        int flattened = int.Parse(shapes[Array.FindIndex(shapes, shape => !shape.Contains('x', StringComparison.Ordinal))], CultureInfo.InvariantCulture);
        string wrong = FirstLinear().Replace(layers, match => "Linear(" + (flattened - 1).ToString(CultureInfo.InvariantCulture) + ",", 1);

        GeneratorRun run = GeneratorDriverHelper.Run(Declaration(name, wrong));
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("CG0001", diagnostic.Id);
        Assert.Contains(
            "declares " + (flattened - 1).ToString(CultureInfo.InvariantCulture) + " in-features but receives " + flattened.ToString(CultureInfo.InvariantCulture) + ": 1x28x28 -> ",
            diagnostic.GetMessage(CultureInfo.InvariantCulture),
            StringComparison.Ordinal);
        Assert.Empty(run.GeneratedSources);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void SummaryMethodRendersTheSummaryConstantFromTheLayoutRows(string name, string layers, string[] shapes, int parameters)
    {
        _ = (shapes, parameters);
        GeneratorRun run = GeneratorDriverHelper.Run(Declaration(name, layers));
        run.AssertCompilesCleanly();
        Type network = Load(run).GetType("Notebooks." + name, throwOnError: true)!;

        // The constant is the generator's rendering; Summary() renders Layout.Layers again at run time.
        string constant = (string)network.GetField("SummaryText")!.GetRawConstantValue()!;
        string rendered = (string)network.GetMethod("Summary", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)!.Invoke(null, null)!;
        Assert.Equal(constant, rendered);
        Assert.Equal(SummaryRows(run.GeneratedText("Notebooks." + name + ".g.cs")), constant.Split('\n')[2..(2 + shapes.Length + 1)]);
    }

    // The generated code, compiled and loaded beside the ConvGen runtime this test already runs.
    private static Assembly Load(GeneratorRun run)
    {
        using var image = new MemoryStream();
        EmitResult emitted = run.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return Assembly.Load(image.ToArray());
    }

    private static string Declaration(string name, string layers) =>
        "using ConvGen;\n\nnamespace Notebooks;\n\n[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]\n" + layers + "\npublic sealed partial record " + name + ";\n";

    private static string[] SummaryRows(string generated)
    {
        // The XML-doc copy of the summary: the rows between the two rules.
        string[] lines = generated.Split('\n').Where(line => line.StartsWith("/// ", StringComparison.Ordinal)).Select(line => line.Substring(4)).ToArray();
        int first = Array.FindIndex(lines, line => line.StartsWith("===", StringComparison.Ordinal));
        int last = Array.FindIndex(lines, first + 1, line => line.StartsWith("===", StringComparison.Ordinal));
        return lines[(first + 1)..last];
    }

    [GeneratedRegex("""new\("[^"]+", "\w+", \[(?<shape>[0-9, ]+)\], """)]
    private static partial Regex LayoutRow();

    [GeneratedRegex(@"Linear\(\d+,")]
    private static partial Regex FirstLinear();
}
