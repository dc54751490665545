namespace ConvGen.Tests.Packaging;

/// <summary>
/// What a NuGet user gets: <c>dotnet pack</c> makes one ConvGen package carrying the runtime and the generator; a fresh
/// project that references it from a local folder declares a network, builds it and runs it — and a wrong Linear
/// in-features fails its build with CG0001.
/// </summary>
[Collection(ChildProcess.BuildCollection)]
public sealed class PackageTests
{
    private const string Declaration = """
        using ConvGen;

        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Conv2d(4, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2), Flatten, Linear(IN_FEATURES, 10)]
        public sealed partial record PackagedNet;
        """;

    private const string Program = """
        using ConvGen.Training;

        var model = PackagedNet.Initialize(seed: 1);
        float[] logits = model.Predict(new float[PackagedNet.InputSize], count: 1);
        System.Console.WriteLine($"{PackagedNet.ParameterCount} parameters, {logits.Length} outputs");
        """;

    [Fact]
    public void AFreshProjectBuildsAndRunsANetworkFromThePackage()
    {
        using var work = new TemporaryFolder();
        string version = Pack(work);

        string consumer = WriteConsumer(work, version, inFeatures: 64);
        (int exit, string output, string error) = ChildProcess.Dotnet(consumer, "run", "-c", "Release");

        Assert.True(exit == 0, output + error);
        Assert.Contains("690 parameters, 10 outputs", output);
    }

    [Fact]
    public void AWrongLinearFailsTheConsumersBuildWithCG0001()
    {
        using var work = new TemporaryFolder();
        string version = Pack(work);

        string consumer = WriteConsumer(work, version, inFeatures: 100);
        (int exit, string output, string error) = ChildProcess.Dotnet(consumer, "build", "-c", "Release");

        Assert.NotEqual(0, exit);
        Assert.Contains("error CG0001: Linear 'fc1' declares 100 in-features but receives 64", output);
    }

    /// <summary>Packs the runtime as the test run built it into <c>feed</c>, under a version no cache has seen; returns the version.</summary>
    internal static string Pack(TemporaryFolder work)
    {
        string version = "0.0.0-test" + Guid.NewGuid().ToString("N")[..12];
        string project = Path.Combine(ChildProcess.Repository(), "src", "ConvGen", "ConvGen.csproj");
        (int exit, string output, string error) = ChildProcess.Dotnet(ChildProcess.Repository(), "pack", project, "-c", ChildProcess.Configuration(), "--no-build",
            "-o", work.File("feed"), "-p:PackageVersion=" + version);
        Assert.True(exit == 0, output + error);
        return version;
    }

    private static string WriteConsumer(TemporaryFolder work, string version, int inFeatures)
    {
        string folder = work.File("consumer");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{work.File("packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ConvGen" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="local" value="{work.File("feed")}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="cache" value="{NuGetCache()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "PackagedNet.cs"), Declaration.Replace("IN_FEATURES", inFeatures.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Combine(folder, "Program.cs"), Program);
        return folder;
    }

    // The packages the repository's own restore already fetched (LanguageExt, System.Numerics.Tensors), so the fresh
    // project restores them from disk; only ConvGen itself comes from the local feed.
    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
