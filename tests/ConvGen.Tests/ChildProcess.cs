using System.Diagnostics;

namespace ConvGen.Tests;

/// <summary>Runs a program as a user would, in a child process, and returns what it printed and how it ended.</summary>
internal static class ChildProcess
{
    /// <summary>Tests that run <c>dotnet build</c> or <c>pack</c> on the repository's projects share this collection, so they never run at once.</summary>
    public const string BuildCollection = "dotnet builds of the repository";

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; fails the test after five minutes.</summary>
    public static (int Exit, string Output, string Error) Dotnet(string workingDirectory, params string[] arguments) =>
        Dotnet(workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>As the other overload, with <paramref name="environment"/> added to the child's environment (a GC heap limit, say).</summary>
    public static (int Exit, string Output, string Error) Dotnet(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using Process process = Start(workingDirectory, environment, arguments);
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "dotnet " + string.Join(" ", arguments) + " did not finish");
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/>, output and error redirected, for a test that talks to it while it runs.</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(start)!;
    }

    /// <summary>The repository's root: the folder holding ConvGen.sln above the test assembly.</summary>
    public static string Repository()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ConvGen.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("No ConvGen.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>The build configuration the tests run in, so child builds reuse its outputs.</summary>
    public static string Configuration() => AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
}
