// The layer summary table, written once: the generator puts it in a constant and the XML docs, and Sequential builds
// it at run time. Like ShapeRules, this file is compiled into both, so the two tables cannot differ.
// Keep it to plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Shapes
{
    /// <summary>A torchinfo-style table: one row per layer, then the totals.</summary>
    internal static class SummaryTable
    {
        private const int Columns = 6;

        /// <summary>
        /// The table's lines. <paramref name="layers"/> holds one row per layer: name and kind, output shape, then the
        /// numbers as <see cref="LayerRow"/> writes them.
        /// </summary>
        public static List<string> Lines(string inputShape, long inputVolume, IEnumerable<string[]> layers, long parameterCount, long multiplyAdds, long activationBytes)
        {
            var rows = new List<string[]>
            {
                new[] { "Layer (type)", "Output shape", "Param #", "Mult-Adds", "RF / jump", "Activations" },
                new[] { "input", inputShape, "0", "0", "1 / 1", Bytes(inputVolume * 4) },
            };
            rows.AddRange(layers);

            // Names and shapes read left-aligned, numbers right-aligned.
            int[] widths = Enumerable.Range(0, Columns).Select(column => rows.Max(row => row[column].Length)).ToArray();
            var lines = rows.Select(row => string.Concat(Enumerable.Range(0, Columns).Select(column =>
                (column < 2 ? row[column].PadRight(widths[column]) : row[column].PadLeft(widths[column])) + (column < Columns - 1 ? "  " : string.Empty))).TrimEnd()).ToList();
            string rule = new string('=', widths.Sum() + 2 * (Columns - 1));
            lines.Insert(1, rule);
            lines.Add(rule);
            lines.Add("Total parameters: " + Number(parameterCount) + " (" + Bytes(parameterCount * 4) + " as float32)");
            lines.Add("Total mult-adds: " + Number(multiplyAdds) + " per sample");
            lines.Add("Activations: " + Bytes(activationBytes) + " per sample (input and every layer output, float32)");
            lines.Add("RF / jump: input pixels one output sees / input step between neighbouring outputs");
            return lines;
        }

        /// <summary>
        /// One layer's row. <paramref name="receptiveField"/> is null once the activations are flat; a layer that owns no
        /// output (Flatten, a view) shows <c>(view)</c> for its activations.
        /// </summary>
        public static string[] LayerRow(string name, string kind, string outputShape, long parameters, long multiplyAdds, string? receptiveField, long? activationBytes)
        {
            return new[]
            {
                name + " (" + kind + ")",
                outputShape,
                Number(parameters),
                Number(multiplyAdds),
                receptiveField ?? "-",
                activationBytes is long bytes ? Bytes(bytes) : "(view)",
            };
        }

        /// <summary>A receptive field and its jump as the table shows them: <c>3x5 / 1</c>, one number when square.</summary>
        public static string ReceptiveField(long height, long width, long jumpHeight, long jumpWidth)
        {
            string size = height == width ? Text(height) : Text(height) + "x" + Text(width);
            string jump = jumpHeight == jumpWidth ? Text(jumpHeight) : Text(jumpHeight) + "x" + Text(jumpWidth);
            return size + " / " + jump;
        }

        /// <summary>Bytes with a binary unit, e.g. <c>3.1 KiB</c>; exact below 1 KiB.</summary>
        public static string Bytes(long bytes)
        {
            string[] units = { "KiB", "MiB", "GiB", "TiB" };
            if (bytes < 1024)
            {
                return Text(bytes) + " B";
            }

            double value = bytes;
            int unit = -1;
            while (value >= 1024 && unit < units.Length - 1)
            {
                value /= 1024;
                unit++;
            }

            return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
        }

        /// <summary>A count with thousands separators, e.g. <c>13,706</c>.</summary>
        public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
