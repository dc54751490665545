using System.CommandLine;

namespace ConvGen.Samples.Support;

/// <summary>
/// Runs a sample's command line: <c>--help</c> lists the options; a command line that does not parse or validate ends
/// with one line on standard error (<c>error: ...</c>) and <see cref="UsageError"/>, never a help page
/// or a trace; otherwise the command's action runs and its exit code is returned.
/// </summary>
public static class SampleCommand
{
    /// <summary>The exit code of a command line that does not parse or validate (a failed run exits with 1).</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses <paramref name="args"/> for <paramref name="command"/> and runs it (with <paramref name="configuration"/> when
    /// given), or reports what is wrong with them on <paramref name="error"/> (standard error by default).
    /// </summary>
    public static async Task<int> RunAsync(RootCommand command, string[] args, TextWriter? error = null, InvocationConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ParseResult parsed = command.Parse(args);
        // --help answers even beside a mistake.
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            // The first mistake only: one wrong token often gives several errors ("--epochs", then its value).
            (error ?? Console.Error).WriteLine($"error: {parsed.Errors[0].Message} (--help lists the options)");
            return UsageError;
        }

        return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
    }
}
