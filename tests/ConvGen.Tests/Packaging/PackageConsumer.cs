namespace ConvGen.Tests.Packaging;

/// <summary>
/// A user's project outside the repository that takes ConvGen from a package, as <c>dotnet add package ConvGen</c>
/// would: the runtime is packed into a local feed, everything else restores from the NuGet cache.
/// </summary>
internal static class PackageConsumer
{
    /// <summary>
    /// Packs the runtime (and the <paramref name="companions"/>, such as <c>ConvGen.Plotting</c>) as the test run built
    /// them into <c>feed</c>, under a version no cache has seen; returns the version.
    /// </summary>
    public static string Pack(TemporaryFolder work, params string[] companions)
    {
        string version = "0.0.0-test" + Guid.NewGuid().ToString("N")[..12];
        foreach (string library in companions.Prepend("ConvGen"))
        {
            string project = Path.Combine(ChildProcess.Repository(), "src", library, library + ".csproj");
            (int exit, string output, string error) = ChildProcess.Dotnet(ChildProcess.Repository(), "pack", project, "-c", ChildProcess.Configuration(), "--no-build",
                "-o", work.File("feed"), "-p:PackageVersion=" + version);
            Assert.True(exit == 0, output + error);
        }

        return version;
    }

    /// <summary>
    /// Writes an executable project in <c>consumer</c> referencing package ConvGen <paramref name="version"/> from the
    /// local feed (and each of the <paramref name="companions"/> packed with it), with warnings as errors and nullable
    /// on, and the given source files; returns its folder.
    /// </summary>
    public static string Write(TemporaryFolder work, string version, IReadOnlyDictionary<string, string> sources, params string[] companions)
    {
        string references = string.Concat(companions.Select(library => $"""

                <PackageReference Include="{library}" Version="{version}" />
            """));
        string folder = work.File("consumer");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{work.File("packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ConvGen" Version="{version}" />{references}
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
        foreach ((string name, string text) in sources)
        {
            File.WriteAllText(Path.Combine(folder, name), text);
        }

        return folder;
    }

    // The packages the repository's own restore already fetched (LanguageExt, System.Numerics.Tensors), so the fresh
    // project restores them from disk; only ConvGen itself comes from the local feed.
    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
