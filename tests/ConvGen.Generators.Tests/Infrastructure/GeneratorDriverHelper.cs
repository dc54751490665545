extern alias runtime;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Compiles test sources against the ConvGen runtime and runs <see cref="ConvGenGenerator"/> over them as the build
/// would, with step tracking on so tests can see what the incremental pipeline cached.
/// </summary>
internal static class GeneratorDriverHelper
{
    /// <summary>
    /// The newest language, and documentation comments checked: generated XML docs must be well formed.
    /// </summary>
    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithDocumentationMode(DocumentationMode.Diagnose);

    // Nullable on and every warning wave, as the repository's own projects build.
    private static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        warningLevel: 9999);

    // Loaded once: the framework, the runtime and its dependencies, as a project referencing ConvGen compiles against.
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>A syntax tree parsed as the driver parses generated files, at a path diagnostics will name.</summary>
    public static SyntaxTree Parse(string source, string path = "Network.cs") =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>A compilation of <paramref name="sources"/>, named <c>Source0.cs</c>, <c>Source1.cs</c>, ...</summary>
    public static CSharpCompilation Compile(params string[] sources) =>
        Compile(sources.Select((source, index) => Parse(source, "Source" + index + ".cs")));

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create("Networks", trees, References.Value, CompilationOptions);

    public static GeneratorRun Run(params string[] sources) => Run(Compile(sources));

    /// <summary>Runs a fresh driver over <paramref name="compilation"/>; <paramref name="cancellation"/> bounds how long it may take.</summary>
    public static GeneratorRun Run(Compilation compilation, CancellationToken cancellation = default)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ConvGenGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return Run(driver, compilation, cancellation);
    }

    /// <summary>Runs the driver of <paramref name="previous"/> again, so its step reasons say what the change invalidated.</summary>
    public static GeneratorRun Rerun(GeneratorRun previous, Compilation changed) => Run(previous.Driver, changed, CancellationToken.None);

    private static GeneratorRun Run(GeneratorDriver driver, Compilation compilation, CancellationToken cancellation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation updated, out _, cancellation);
        return new GeneratorRun(compilation, updated, driver, driver.GetRunResult());
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The test assembly is on the list too; leave it out so its types cannot clash with the sources under test.
        string testAssembly = typeof(GeneratorDriverHelper).Assembly.Location;
        string platform = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return platform.Split(Path.PathSeparator)
            .Append(typeof(runtime::ConvGen.NetworkAttribute).Assembly.Location)
            .Where(path => path.Length > 0 && path != testAssembly)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
