extern alias runtime;

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Xunit.Abstractions;

namespace ConvGen.Generators.Tests;

/// <summary>
/// Seeded fuzzing that compiles what the generator writes. Each source is a random but plausible declaration: tricky
/// record, namespace and layer names, modifiers, primary constructors, user members, non-finite settings, two networks
/// whose names differ only by case, now and then a garbling edit. For every source the generator must not throw, and
/// when the source compiles without the generator and gets no ConvGen error, the generated code must add no error and
/// no warning: anything else is a silent miscompile.
/// </summary>
/// <remarks>
/// The normal run checks <see cref="DefaultSources"/> sources; set <c>CONVGEN_FUZZ_SOURCES</c> (e.g. to 20000) for
/// the long run: <c>CONVGEN_FUZZ_SOURCES=20000 dotnet test tests/ConvGen.Generators.Tests -c Release --filter GeneratedCodeFuzzTests</c>.
/// <c>CONVGEN_FUZZ_REPORT=path</c> writes every failing source there, shortest first.
/// </remarks>
public sealed class GeneratedCodeFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSources = 2000;

    private static readonly EmitOptions MetadataOnly = new(metadataOnly: true);

    // Names that stress what the generator derives from them: identifiers, literals, comments and XML docs.
    private static readonly string[] LayerNames =
    [
        "Pool1", "pool1", "POOL1", "conv1", "Conv1", "a_b", "a.b", "a-b", "a b", "two\\nlines", "cr\\rlf", "line\\u2028sep", "para\\u2029sep",
        "next\\u0085line", "tab\\tname", "quote\\\"d", "back\\\\slash", "<b>&amp;</b>", "class", "@class", "1st", "Layer1st", "_", "__", "-", "é",
        "İx", "Ix", "\\u212Aelvin", "kelvin", "\\0nul", "\\u0001ctl", "\\uD800lone", "\\uD83D\\uDE00smile", "fc1", "fc1.weight", "Offset", "Geometry",
        "Output", "input", "Input", "gradientA", "Mask", "x", "X", "xMask", "Layout", "Workspace", "Summary", "Forward", "Parameters", "value", "ＡＢ",
        new string('w', 600), new string('v', 1001), new string('v', 1000), "e\u0301", "\u00E9", "x\u200By", "ǅ", "𝑥",
    ];

    private static readonly string[] TypeNames =
    [
        "Net", "NET", "net", "Net2", "@class", "@int", "@record", "var", "dynamic", "nameof", "async", "value", "values", "seed", "Layout",
        "Workspace", "Summary", "SummaryText", "Forward", "Backward", "Initialize", "Parameters", "parameters", "FromParameters",
        "CreateWorkspace", "InputSize", "InputChannels", "OutputSize", "ParameterCount", "BufferStart", "Conv1WeightOffset",
        "Conv1Geometry", "gradientA", "trainingPass", "batchCapacity", "BufferUpdates", "Input", "Café", "_Net", "Net_1", "ConvGen",
        "System", "INetwork", "ParameterSet", "Kernels", "Global", "global", "Span", "Int32", "Object", "ToString",
    ];

    private static readonly string[] Namespaces =
    [
        "", "", "", "App", "App.Networks", "App.@internal", "@class.@namespace", "Net", "Networks.System", "Layout", "ConvGen",
        "ConvGen.Kernels", "System", "App.Net", "Café.Réseaux", "global", "Global", "app",
    ];

    private static readonly string[] Members =
    [
        "public int Forward() => 1;",
        "public string Summary => \"mine\";",
        "public static int Layout = 1;",
        "public int Parameters { get; init; }",
        "public sealed class Workspace { }",
        "public required int Width { get; init; }",
        "private readonly int parameters;",
        "public static void Initialize() { }",
        "public static int Initialize(string name) => name.Length;",
        "public void Conv1WeightOffset() { }",
        "public int Fc1BiasOffset;",
        "public const int InputSize = 3;",
        "public override string ToString() => \"net\";",
        "public int Backward;",
        "public int ForwardCore;",
        "public static string SummaryText = \"\";",
        "public TYPE(int width) : this() { }",
        "public TYPE() { }",
        "public TYPE(int seed) : this(Initialize(seed).Parameters) { }",
        "public TYPE(global::ConvGen.ParameterSet set, int seed) : this(set) { }",
        "public static TYPE Summary(int width) => Initialize(width);",
        "private TYPE(global::ConvGen.ParameterSet set) { }",
        "public int Value { get; set; }",
        "public static TYPE CreateWorkspace = null!;",
        "public void Dispose() { }",
        "public int this[int i] => i;",
        "public event System.Action? Changed;",
        "public delegate void Handler();",
        "~TYPE() { }",
    ];

    private static readonly string[] Slopes =
    [
        "0.2", "0", "-0.5", "1e-50", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "1e300", "-1e300", "double.MaxValue",
        "double.Epsilon", "-0.0", "3.4028235e38", "3.5e38", "1.0 / 0.0", "0.0 / 0.0",
    ];

    private readonly ITestOutputHelper output = output;

    [Fact]
    public void GeneratedCodeCompilesForEveryDeclarationTheGeneratorAccepts()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("CONVGEN_FUZZ_SOURCES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int requested)
            ? requested
            : DefaultSources;
        var tally = new ConcurrentDictionary<Outcome, int>();
        var failures = new ConcurrentBag<string>();
        CSharpCompilation empty = GeneratorDriverHelper.Compile().WithReferences(FewReferences());
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, index =>
        {
            string[] sources = Declaration(new Random(index));
            (Outcome outcome, string? detail) = Check(empty, sources);
            tally.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            if (detail is not null)
            {
                failures.Add("source " + index + " (" + outcome + "): " + detail + "\n" + string.Join("\n// ---- next file\n", sources));
            }
        });

        string counts = string.Join(", ", Enum.GetValues<Outcome>().Select(outcome => outcome + " " + tally.GetValueOrDefault(outcome)));
        output.WriteLine(count + " sources: " + counts);
        if (Environment.GetEnvironmentVariable("CONVGEN_FUZZ_REPORT") is { Length: > 0 } report)
        {
            File.WriteAllText(report, string.Join("\n\n", failures.OrderBy(failure => failure.Length)));
        }

        Assert.True(failures.IsEmpty, failures.Count + " failures (" + counts + "); the first:\n" + string.Join("\n\n", failures.OrderBy(f => f.Length).Take(3)));

        // Every outcome that decides the verdict must be common, or the run proves little about it.
        Assert.True(tally.GetValueOrDefault(Outcome.Compiled) > count / 5, counts);
        Assert.True(tally.GetValueOrDefault(Outcome.DiagnosedOrNothingGenerated) > count / 20, counts);
    }

    /// <summary>What became of one source.</summary>
    internal enum Outcome
    {
        /// <summary>The generator reported an error or found no network: nothing to compile.</summary>
        DiagnosedOrNothingGenerated,

        /// <summary>Code was generated, but the source does not compile even without it: only "no exception" is checked.</summary>
        SourceDoesNotCompile,

        /// <summary>Generated, and the generated code added no error or warning.</summary>
        Compiled,

        /// <summary>The generator threw (CS8785): a failure.</summary>
        GeneratorException,

        /// <summary>No ConvGen error, yet the generated code fails to compile or warns: a failure.</summary>
        SilentMiscompile,
    }

    internal static (Outcome Outcome, string? Detail) Check(CSharpCompilation empty, string[] sources)
    {
        CSharpCompilation input = empty.AddSyntaxTrees(sources.Select((source, i) => GeneratorDriverHelper.Parse(source, "Source" + i + ".cs")));

        // No step tracking: this driver runs once per source, and tracking is what the incrementality tests need alone.
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ConvGenGenerator().AsSourceGenerator()], parseOptions: GeneratorDriverHelper.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        GeneratorDriverRunResult run = driver.GetRunResult();
        GeneratorRunResult result = run.Results.Single();
        if (result.Exception is not null || run.Diagnostics.Any(diagnostic => diagnostic.Id == "CS8785"))
        {
            return (Outcome.GeneratorException, result.Exception?.ToString() ?? string.Join("\n", run.Diagnostics));
        }

        if (run.Diagnostics.Any(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error) || result.GeneratedSources.IsEmpty)
        {
            return (Outcome.DiagnosedOrNothingGenerated, null);
        }

        // Most sources compile without a word; only when one does not is the source alone compiled, to tell what
        // the generated code added (warnings the source already has, a lowercase type name say, are the user's).
        List<Diagnostic> after = output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).ToList();
        if (after.Count == 0)
        {
            // Some limits (name lengths in metadata) are checked only when the assembly is written.
            EmitResult emitted = output.Emit(Stream.Null, options: MetadataOnly);
            return emitted.Success ? (Outcome.Compiled, null) : (Outcome.SilentMiscompile, string.Join("\n", emitted.Diagnostics.Take(3)));
        }

        List<Diagnostic> before = input.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).ToList();
        if (before.Any(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error))
        {
            return (Outcome.SourceDoesNotCompile, null);
        }

        var known = before.Select(Describe).ToHashSet();
        List<string> added = after.Select(Describe).Where(description => !known.Contains(description)).ToList();
        return added.Count > 0 ? (Outcome.SilentMiscompile, string.Join("\n", added.Take(5))) : (Outcome.Compiled, null);
    }

    // The runtime and what it references, not the whole framework: every compilation here binds against them, and
    // two hundred assemblies make each one several times slower.
    private static IEnumerable<MetadataReference> FewReferences()
    {
        var runtime = typeof(runtime::ConvGen.NetworkAttribute).Assembly;
        string platform = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var wanted = runtime.GetReferencedAssemblies().Select(name => name.Name).Append("System.Runtime").Append("System.Private.CoreLib").Append("netstandard").ToHashSet();
        return platform.Split(Path.PathSeparator)
            .Where(path => wanted.Contains(Path.GetFileNameWithoutExtension(path)))
            .Append(runtime.Location)
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static string Describe(Diagnostic diagnostic) =>
        diagnostic.Id + " " + diagnostic.Location.GetLineSpan() + " " + diagnostic.GetMessage(CultureInfo.InvariantCulture);

    /// <summary>One or two files holding one or more network declarations, drawn from <paramref name="random"/>.</summary>
    internal static string[] Declaration(Random random)
    {
        string type = Pick(random, TypeNames, plain: "Net", plainChance: 0.5);
        string ns = Pick(random, Namespaces);
        var file = new StringBuilder("using ConvGen;\n");
        // Blocks the layer stacks may use as residual units and concatenated branches (one keeps any shape).
        file.Append("/// <summary>Keeps the shape.</summary>\n[Block]\n[ReLU, Tanh]\npublic sealed partial record FuzzKeep;\n");
        file.Append("/// <summary>Two channels.</summary>\n[Block]\n[Conv2d(2, Kernel = 1), BatchNorm2d]\npublic sealed partial record FuzzPoint;\n");
        if (random.Next(8) == 0)
        {
            file.Append("public record Base;\n");
        }

        var networks = new List<string> { Network(random, type, Layers(random), withExtras: true) };
        if (random.Next(6) == 0)
        {
            // A second network whose name differs from the first only by case, in the same or a case-twin namespace.
            string twin = type.Any(char.IsLower) ? type.ToUpperInvariant() : type.ToLowerInvariant();
            string twinNamespace = random.Next(2) == 0 ? ns : ns.ToUpperInvariant();
            string second = Network(random, twin, Layers(random), withExtras: false);
            if (twinNamespace != ns)
            {
                return [Wrap(file.ToString(), ns, networks), Wrap("using ConvGen;\n", twinNamespace, [second])];
            }

            networks.Add(second);
        }

        string text = Wrap(file.ToString(), ns, networks);
        if (random.Next(10) == 0)
        {
            // Another partial declaration of the first network, in a file of its own, with a member of its own.
            string part = "public partial record " + type + "\n{\n    " + Members[random.Next(Members.Length)].Replace("TYPE", type, StringComparison.Ordinal) + "\n}\n";
            return [text, Wrap("using ConvGen;\n", ns, [part])];
        }

        return [random.Next(10) == 0 ? Garble(text, random) : text];
    }

    private static string Wrap(string header, string ns, IEnumerable<string> networks)
    {
        string body = string.Join("\n", networks);
        return ns.Length == 0 ? header + body : header + "namespace " + ns + "\n{\n" + body + "\n}\n";
    }

    private static string Network(Random random, string type, string layers, bool withExtras)
    {
        var text = new StringBuilder();
        text.Append(layers);
        string modifiers = withExtras
            ? Pick(random, ["public ", "internal ", "", "file ", "public abstract ", "public sealed ", "sealed ", "public unsafe ", "public new "], plain: "public sealed ", plainChance: 0.6)
            : "public sealed ";
        string kind = withExtras ? Pick(random, ["record ", "record class ", "record struct ", "class "], plain: "record ", plainChance: 0.85) : "record ";
        string partial = withExtras && random.Next(30) == 0 ? "" : "partial ";
        string parameters = withExtras ? Pick(random, ["", "()", "(int Width)", "(int Width = 3)"], plain: "", plainChance: 0.85) : "";
        string bases = withExtras ? Pick(random, ["", " : Base", " : System.IDisposable", " : ConvGen.INetwork<TYPE>"], plain: "", plainChance: 0.85) : "";
        text.Append(modifiers).Append(partial).Append(kind).Append(type).Append(parameters).Append(bases.Replace("TYPE", type, StringComparison.Ordinal));
        int members = withExtras && random.Next(3) == 0 ? 1 + random.Next(2) : 0;
        if (members == 0)
        {
            text.Append(";\n");
            return text.ToString();
        }

        text.Append("\n{\n");
        for (int i = 0; i < members; i++)
        {
            text.Append("    ").Append(Members[random.Next(Members.Length)].Replace("TYPE", type, StringComparison.Ordinal)).Append('\n');
        }

        return text.Append("}\n").ToString();
    }

    // A layer stack that mostly fits, so most sources get past shape checking to code generation: sizes are tracked
    // with the plain formulas for the few layer forms used here (a 'same'-padded odd kernel, a 2x2 pool).
    private static string Layers(Random random)
    {
        bool sequence = random.Next(6) == 0;
        int channels = 1 + random.Next(3), size = new[] { 4, 6, 8 }[random.Next(3)];
        var text = new StringBuilder(sequence
            ? "[Network(InputChannels = " + channels + ", InputLength = " + size + ")]\n["
            : "[Network(InputChannels = " + channels + ", InputHeight = " + size + ", InputWidth = " + size + ")]\n[");
        var layers = new List<string>();
        string Named(string layer) => random.Next(4) == 0 ? AddName(layer, LayerNames[random.Next(LayerNames.Length)]) : layer;
        int spatialLayers = random.Next(5);
        for (int i = 0; i < spatialLayers; i++)
        {
            switch (random.Next(10))
            {
                case 0:
                case 1:
                    int kernel = random.Next(2) == 0 ? 1 : 3;
                    channels = 1 + random.Next(4);
                    layers.Add(Named((sequence ? "Conv1d(" : "Conv2d(") + channels + ", Kernel = " + kernel + ", Padding = " + (kernel / 2) + (random.Next(4) == 0 ? ", Bias = false" : "") + ")"));
                    break;
                case 2 when size % 2 == 0 && !sequence:
                    layers.Add(Named(random.Next(2) == 0 ? "MaxPool2d(2)" : "AvgPool2d(2)"));
                    size /= 2;
                    break;
                case 3:
                    layers.Add(Named("LeakyReLU(NegativeSlope = " + Slopes[random.Next(Slopes.Length)] + ")"));
                    break;
                case 4 when !sequence:
                    layers.Add(Named(random.Next(2) == 0 ? "BatchNorm2d" : "BatchNorm2d(" + channels + ", Eps = " + Pick(random, ["1e-5", "1e-50", "1e300", "double.Epsilon"]) + ", Momentum = " + Pick(random, ["0.1", "0", "1"]) + ")"));
                    break;
                case 5 when !sequence:
                    layers.Add(Named("GlobalAvgPool2d"));
                    size = 1;
                    break;
                case 6:
                    layers.Add(Named(Pick(random, ["ReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax"])));
                    break;
                case 7 when !sequence:
                    // Size-keeping forms that take the general kernels and the less common geometry arguments.
                    layers.Add(Named(Pick(random,
                    [
                        "Conv2d(" + channels + ", Kernel = 3, PaddingMode = \"same\", Dilation = 2)",
                        "Conv2d(" + channels + ", Kernel = 3, Padding = 1, Groups = " + channels + ")",
                        "Conv2d(" + channels + ", KernelHeight = 1, KernelWidth = 3, PaddingWidth = 1, InChannels = " + channels + ")",
                        "MaxPool2d(3, Stride = 1, Padding = 1)",
                        "AvgPool2d(3, Stride = 1, Padding = 1, CountIncludePad = false)",
                        size % 2 == 0 ? "MaxPool2d(2, Stride = 2, CeilMode = true)" : "MaxPool2d(1)",
                    ])));
                    size = layers[^1].StartsWith("MaxPool2d(2", StringComparison.Ordinal) ? size / 2 : size;

                    break;
                case 8 when !sequence:
                    // Merges: an identity unit keeps the shape; a concatenation adds FuzzPoint's 2 channels; a unit whose
                    // main branch and shortcut are both FuzzPoint gives 2.
                    int merge = random.Next(3);
                    layers.Add(Named(merge == 0 ? "Residual<FuzzKeep>" : merge == 1 ? "Concat<FuzzKeep, FuzzPoint>" : "Residual<FuzzPoint, FuzzPoint>"));
                    channels = merge == 1 ? channels + 2 : merge == 2 ? 2 : channels;
                    break;
                default:
                    layers.Add(Named("Dropout(" + Pick(random, ["0.5", "0", "0.25", "0.999999999"]) + ")"));
                    break;
            }
        }

        int features = channels * size * (sequence ? 1 : size);
        layers.Add(Named("Flatten"));
        int linears = random.Next(3);
        for (int i = 0; i < linears; i++)
        {
            int next = 1 + random.Next(5);
            layers.Add(Named("Linear(" + features + ", " + next + (random.Next(4) == 0 ? ", Bias = false" : "") + ")"));
            features = next;
            if (random.Next(2) == 0)
            {
                layers.Add(Named(Pick(random, ["ReLU", "Tanh", "Sigmoid", "LeakyReLU", "Dropout(0.1)", "Softmax", "LogSoftmax"])));
            }
        }

        return text.Append(string.Join(", ", layers)).Append("]\n").ToString();
    }

    private static string AddName(string layer, string name)
    {
        string argument = "Name = \"" + name + "\"";
        return layer.EndsWith(')') ? layer[..^1] + ", " + argument + ")" : layer + "(" + argument + ")";
    }

    private static string Pick(Random random, string[] choices, string? plain = null, double plainChance = 0) =>
        plain is not null && random.NextDouble() < plainChance ? plain : choices[random.Next(choices.Length)];

    // One edit a typing user leaves behind: a deleted run of characters or a stray token.
    private static string Garble(string source, Random random)
    {
        int at = random.Next(source.Length);
        return random.Next(2) == 0
            ? source.Remove(at, Math.Min(source.Length - at, 1 + random.Next(6)))
            : source.Insert(at, Pick(random, [",", "(", ")", "]", "\"", "0", "-1", " Name = \"n\"", "ReLU, ", "=", "@"]));
    }
}
