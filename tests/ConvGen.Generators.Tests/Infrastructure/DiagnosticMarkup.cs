using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// Test source with its expectations written inline, so one text gives both the faulty declaration and its fix:
/// <list type="bullet">
/// <item><c>{|CG0001:100|}</c> expects a CG0001 diagnostic on exactly <c>100</c>;</item>
/// <item><c>wrong=&gt;right</c> inside any <c>{|...|}</c> puts <c>wrong</c> in the faulty source and <c>right</c> in the
/// fixed one, e.g. <c>{|CG0001:100=&gt;3136|}</c> or, with no diagnostic, <c>{|=&gt;partial |}</c>.</item>
/// </list>
/// </summary>
internal sealed partial record DiagnosticMarkup(string FaultySource, string FixedSource, ImmutableArray<(string Id, TextSpan Span)> Expected)
{
    [GeneratedRegex(@"\{\|(?:(?<id>CG\d{4}):)?(?<faulty>.*?)(?:=>(?<fixed>.*?))?\|\}", RegexOptions.Singleline)]
    private static partial Regex Marker();

    public static DiagnosticMarkup Parse(string markup)
    {
        var faulty = new StringBuilder();
        var corrected = new StringBuilder();
        var expected = ImmutableArray.CreateBuilder<(string, TextSpan)>();
        int copied = 0;
        foreach (Match marker in Marker().Matches(markup))
        {
            string before = markup.Substring(copied, marker.Index - copied);
            faulty.Append(before);
            corrected.Append(before);
            string wrong = marker.Groups["faulty"].Value;
            if (marker.Groups["id"].Success)
            {
                expected.Add((marker.Groups["id"].Value, new TextSpan(faulty.Length, wrong.Length)));
            }

            faulty.Append(wrong);
            corrected.Append(marker.Groups["fixed"].Success ? marker.Groups["fixed"].Value : wrong);
            copied = marker.Index + marker.Length;
        }

        string rest = markup.Substring(copied);
        faulty.Append(rest);
        corrected.Append(rest);
        return new DiagnosticMarkup(faulty.ToString(), corrected.ToString(), expected.ToImmutable());
    }
}
