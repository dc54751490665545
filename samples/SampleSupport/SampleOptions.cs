using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ConvGen.Samples.Support;

/// <summary>The options the samples share, parsed invariantly and checked, so a bad value is one sentence naming the option.</summary>
public static class SampleOptions
{
    /// <summary>A whole number of at least <paramref name="minimum"/>: <c>--epochs abc</c> and <c>--epochs 0</c> are refused with the value quoted.</summary>
    public static Option<int> Count(string name, string description, int defaultValue, int minimum = 1) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "N",
            CustomParser = result => ParseCount(result, name, minimum),
        };

    /// <summary>
    /// A data folder, by default <c>shared/data/<paramref name="dataSet"/></c> beside the repository (found from the
    /// program's own location, not the current folder).
    /// </summary>
    public static Option<string> DataFolder(string dataSet, string description) =>
        new("--data")
        {
            Description = description,
            DefaultValueFactory = _ => SharedData.Folder(dataSet),
            HelpName = "DIR",
        };

    /// <summary>A folder to write into, <paramref name="defaultValue"/> (relative to the current folder) unless given.</summary>
    public static Option<string> OutputFolder(string name, string description, string defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "DIR" };

    private static int ParseCount(ArgumentResult result, string name, int minimum)
    {
        string token = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            result.AddError($"{name} takes a whole number, got '{token}'.");
            return 0;
        }

        if (value < minimum)
        {
            result.AddError($"{name} must be at least {minimum}, got {value}.");
        }

        return value;
    }
}
