// The summary table of a network. This file is compiled into the runtime and, as a linked source, into the source
// generator: the generated constant and NetworkLayout.RenderSummary() are one rendering of the same rows, so they
// cannot drift apart. Keep it to plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConvGen.Networks
{
    /// <summary>
    /// One layer's row: name, kind, per-sample output sizes (<c>[C, H, W]</c>, <c>[C, L]</c> or <c>[C]</c>), learned values,
    /// multiply-adds, receptive field (null once flat) and bytes of its float32 output (zero for a view).
    /// </summary>
    internal sealed record SummaryRow(
        string Name, string Kind, IReadOnlyList<long> OutputShape, long Parameters, long MultiplyAdds, FieldAndJump? ReceptiveField, long ActivationBytes);

    /// <summary>
    /// A receptive field per axis (the input pixels one output sees) and its jump (the input step between neighbouring
    /// outputs). A sequence's one axis is the width.
    /// </summary>
    internal readonly record struct FieldAndJump(long Height, long Width, long JumpHeight, long JumpWidth)
    {
        /// <summary>Through a window of (effective) kernel k and stride s: (k-1) more jumps wide, the jump s times longer.</summary>
        public FieldAndJump Through(long kernelHeight, long kernelWidth, long strideHeight, long strideWidth) => new FieldAndJump(
            Height + (kernelHeight - 1) * JumpHeight, Width + (kernelWidth - 1) * JumpWidth, JumpHeight * strideHeight, JumpWidth * strideWidth);
    }

    /// <summary>A torchinfo-style table: one row per layer after the input's, then the totals.</summary>
    internal static class SummaryTable
    {
        private const int Columns = 6;

        /// <summary>
        /// The table's lines; the totals are the sums of <paramref name="layers"/>, the input's bytes included, and
        /// <paramref name="buffers"/> (BatchNorm's running statistics) are counted apart from the learned parameters.
        /// </summary>
        public static IReadOnlyList<string> Lines(IReadOnlyList<long> inputShape, IReadOnlyList<SummaryRow> layers, long buffers)
        {
            long inputBytes = inputShape.Aggregate(1L, (product, size) => product * size) * 4;
            var rows = new List<string[]>
            {
                new[] { "Layer (type)", "Output shape", "Param #", "Mult-Adds", "RF / jump", "Activations" },
                new[] { "input", Shape(inputShape), "0", "0", "1 / 1", Bytes(inputBytes) },
            };
            foreach (SummaryRow layer in layers)
            {
                rows.Add(new[]
                {
                    Indent(layer.Name) + layer.Name + " (" + layer.Kind + ")",
                    Shape(layer.OutputShape),
                    Number(layer.Parameters),
                    Number(layer.MultiplyAdds),
                    layer.ReceptiveField is FieldAndJump field ? Field(field, sequence: layer.OutputShape.Count == 2) : "-",
                    layer.ActivationBytes > 0 ? Bytes(layer.ActivationBytes) : "(view)",
                });
            }

            // Names and shapes read left-aligned, numbers right-aligned.
            int[] widths = Enumerable.Range(0, Columns).Select(column => rows.Max(row => row[column].Length)).ToArray();
            var lines = rows.Select(row => string.Concat(Enumerable.Range(0, Columns).Select(column =>
                (column < 2 ? row[column].PadRight(widths[column]) : row[column].PadLeft(widths[column])) + (column < Columns - 1 ? "  " : string.Empty))).TrimEnd()).ToList();
            string rule = new string('=', widths.Sum() + 2 * (Columns - 1));
            lines.Insert(1, rule);
            lines.Add(rule);
            long parameters = layers.Sum(layer => layer.Parameters);
            lines.Add("Total parameters: " + Number(parameters) + " (" + Bytes(parameters * 4) + " as float32)");
            if (buffers > 0)
            {
                lines.Add("Buffers: " + Number(buffers) + " (BatchNorm running statistics and batch counts, not trained)");
            }

            lines.Add("Total mult-adds: " + Number(layers.Sum(layer => layer.MultiplyAdds)) + " per sample");
            lines.Add("Activations: " + Bytes(inputBytes + layers.Sum(layer => layer.ActivationBytes)) + " per sample (input and every layer output, float32)");
            lines.Add("RF / jump: input pixels one output sees / input step between neighbouring outputs");
            return lines;
        }

        /// <summary>The whole table as one text, lines joined by <c>\n</c>.</summary>
        public static string Text(IReadOnlyList<long> inputShape, IReadOnlyList<SummaryRow> layers, long buffers) => string.Join("\n", Lines(inputShape, layers, buffers));

        /// <summary>Sizes as PyTorch's shapes read without the batch: <c>16x8x8</c>, <c>16x98</c>, <c>256</c>.</summary>
        public static string Shape(IReadOnlyList<long> sizes) => string.Join("x", sizes.Select(Invariant));

        /// <summary>Bytes with a binary unit, e.g. <c>3.1 KiB</c>; exact below 1 KiB.</summary>
        public static string Bytes(long bytes)
        {
            string[] units = { "KiB", "MiB", "GiB", "TiB" };
            if (bytes < 1024)
            {
                return Invariant(bytes) + " B";
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

        // "5 / 2" when both axes agree, "5x3 / 2x1" otherwise; a sequence has only its length axis (the width).
        private static string Field(FieldAndJump field, bool sequence)
        {
            string size = sequence || field.Height == field.Width ? Invariant(field.Width) : Invariant(field.Height) + "x" + Invariant(field.Width);
            string jump = sequence || field.JumpHeight == field.JumpWidth ? Invariant(field.JumpWidth) : Invariant(field.JumpHeight) + "x" + Invariant(field.JumpWidth);
            return size + " / " + jump;
        }

        // A layer inside a block (res2.conv1, res2.shortcut.conv1) is indented by its depth: the table reads as the tree.
        private static string Indent(string name) => new string(' ', 2 * name.Count(c => c == '.'));

        private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
