using System.Text;

namespace ConvGen.Testing;

/// <summary>Where two texts part: the lines between their common start and common end, enough to read a snapshot mismatch.</summary>
internal static class TextDiff
{
    private const int MaxLinesShown = 12;

    public static string Describe(string expected, string actual, string expectedLabel = "verified", string actualLabel = "received")
    {
        string[] expectedLines = expected.Split('\n');
        string[] actualLines = actual.Split('\n');
        int head = 0;
        while (head < expectedLines.Length && head < actualLines.Length && expectedLines[head] == actualLines[head])
        {
            head++;
        }

        int tail = 0;
        while (tail < expectedLines.Length - head && tail < actualLines.Length - head
            && expectedLines[expectedLines.Length - 1 - tail] == actualLines[actualLines.Length - 1 - tail])
        {
            tail++;
        }

        var text = new StringBuilder();
        text.Append("First difference at line ").Append(head + 1).Append(':').Append('\n');
        AppendLines(text, "- " + expectedLabel + " ", expectedLines, head, expectedLines.Length - tail);
        AppendLines(text, "+ " + actualLabel + " ", actualLines, head, actualLines.Length - tail);
        return text.ToString();
    }

    private static void AppendLines(StringBuilder text, string prefix, string[] lines, int start, int end)
    {
        for (int i = start; i < Math.Min(end, start + MaxLinesShown); i++)
        {
            text.Append(prefix).Append((i + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append(": ").Append(lines[i]).Append('\n');
        }

        if (end - start > MaxLinesShown)
        {
            text.Append(prefix).Append("... ").Append(end - start - MaxLinesShown).Append(" more lines\n");
        }
    }
}
