using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ConvGen;
using ConvGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// Runs ConvGen's generator over one compilation holding many networks, in three ways an IDE and a build meet it:
//   cold     - a fresh driver, so every network is parsed, shape-checked and emitted;
//   edit     - the same driver after one network's file changed: only that network should be redone;
//   unchanged - the same driver on an identical compilation: everything cached.
// Usage: dotnet run -c Release --project benchmarks/ConvGen.Generators.Benchmarks [-- networks [runs]]
int networks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;

CSharpParseOptions parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
ImmutableArray<MetadataReference> references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
    .Split(Path.PathSeparator)
    .Append(typeof(NetworkAttribute).Assembly.Location)
    .Where(path => path.Length > 0)
    .Distinct(StringComparer.Ordinal)
    .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
    .ToImmutableArray();
SyntaxTree[] trees = Enumerable.Range(0, networks).Select(index => CSharpSyntaxTree.ParseText(Network(index, edit: 0), parseOptions, "Net" + index + ".cs")).ToArray();
CSharpCompilation compilation = CSharpCompilation.Create(
    "Networks", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
    [new ConvGenGenerator().AsSourceGenerator()], parseOptions: parseOptions, driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

// Warm-up: JIT the generator and Roslyn; and check the networks are error-free, so the timing includes emission.
GeneratorDriverRunResult check = NewDriver().RunGenerators(compilation).GetRunResult();
if (!check.Diagnostics.IsEmpty || check.GeneratedTrees.Length != networks)
{
    Console.Error.WriteLine($"Expected {networks} generated files and no diagnostic; got {check.GeneratedTrees.Length} and {check.Diagnostics.Length}: {check.Diagnostics.FirstOrDefault()}");
    return 1;
}

Console.WriteLine($"ConvGen generator over {networks} networks, {runs} runs each, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Report("cold", Time(runs, _ => NewDriver().RunGenerators(compilation)));

GeneratorDriver warm = NewDriver().RunGenerators(compilation);
int edits = 0;
Report("edit", Time(runs, _ =>
{
    // A different hidden size in network 0 each time: a real change, so its model differs and its code is re-emitted.
    edits++;
    SyntaxTree edited = CSharpSyntaxTree.ParseText(Network(0, edits), parseOptions, "Net0.cs");
    CSharpCompilation changed = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees[0], edited);
    warm = warm.RunGenerators(changed);
    compilation = changed;
}));
Report("unchanged", Time(runs, _ => warm = warm.RunGenerators(compilation)));

// Why the edit costs what it does: how the one edit's pipeline steps were produced.
GeneratorDriver tracked = CSharpGeneratorDriver.Create(
    [new ConvGenGenerator().AsSourceGenerator()], parseOptions: parseOptions, driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true))
    .RunGenerators(compilation);
CSharpCompilation once = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees[0], CSharpSyntaxTree.ParseText(Network(0, -1), parseOptions, "Net0.cs"));
long editStart = Stopwatch.GetTimestamp();
GeneratorRunResult result = tracked.RunGenerators(once).GetRunResult().Results.Single();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one tracked edit: {Stopwatch.GetElapsedTime(editStart).TotalMilliseconds:F2} ms; step outputs by reason:"));
foreach (string step in new[] { ConvGenGenerator.StepNames.Parse, ConvGenGenerator.StepNames.Analyze })
{
    var reasons = result.TrackedSteps[step].SelectMany(run => run.Outputs).GroupBy(output => output.Reason).Select(group => group.Key + " " + group.Count());
    Console.WriteLine("  " + step + ": " + string.Join(", ", reasons));
}

return 0;

void Report(string what, TimeSpan[] times)
{
    Array.Sort(times);
    double median = times[times.Length / 2].TotalMilliseconds, best = times[0].TotalMilliseconds;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{what,-10} median {median,9:F2} ms/run  best {best,9:F2} ms/run  median {1000 * median / networks,8:F1} us/network"));
}

static TimeSpan[] Time(int runs, Action<int> run)
{
    var times = new TimeSpan[runs];
    for (int i = 0; i < runs; i++)
    {
        long start = Stopwatch.GetTimestamp();
        run(i);
        times[i] = Stopwatch.GetElapsedTime(start);
    }

    return times;
}

// Networks of varied depth and options, each error-free, one per file as a real project would hold them.
static string Network(int index, int edit)
{
    int channels = 4 + index % 13, hidden = 32 + index % 50 + edit;
    string extra = (index % 4) switch
    {
        0 => "[Conv2d(" + (2 * channels) + ", Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]",
        1 => "[Conv2d(" + (2 * channels) + ", Kernel = 3, Dilation = 2, Padding = 2, Groups = " + channels + "), ReLU, AvgPool2d(2, CeilMode = true)]",
        2 => "[Conv2d(" + (2 * channels) + ", KernelHeight = 3, KernelWidth = 1, PaddingMode = \"same\"), ReLU, MaxPool2d(2)]",
        _ => "[Conv2d(" + (2 * channels) + ", Kernel = 3, PaddingMode = \"same\"), ReLU, MaxPool2d(2)]",
    };
    return "using ConvGen;\n\nnamespace Bench;\n\n"
        + "[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]\n"
        + "[Conv2d(" + channels + ", Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]\n"
        + extra + "\n"
        + "[AdaptiveAvgPool2d(3), Flatten, Linear(" + (2 * channels * 9) + ", " + hidden + "), ReLU, Dropout(0.25), Linear(" + hidden + ", 10)]\n"
        + "public sealed partial record Net" + index + ";\n";
}
