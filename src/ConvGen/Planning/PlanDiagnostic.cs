// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Collections.Generic;
using System.Globalization;

namespace ConvGen.Planning
{
    /// <summary>
    /// Where a diagnostic belongs, as the front ends can find it: a layer (by index; <see cref="NetworkLayer"/> for the
    /// network's own declaration) and, within it, the argument or setting at fault (null: the whole layer).
    /// </summary>
    internal readonly record struct PlanSite(int Layer, string? Argument)
    {
        /// <summary>The index of the network's own declaration (the <c>[Network]</c> attribute, the input shape).</summary>
        public const int NetworkLayer = -1;
    }

    /// <summary>
    /// An argument of a layer inside a block's declaration that a code fix writes: the block record's name, the layer's
    /// index among the block's layers, the argument (<c>OutChannels</c>, <c>Stride</c>) and the value to write.
    /// </summary>
    internal readonly record struct BlockSite(string Block, int Layer, string Argument, string Value);

    /// <summary>
    /// One problem the planner found, as an ID and message arguments (never text), with where it belongs: the argument at
    /// fault, or <see cref="FallbackArgument"/> when that one was not written, or the whole layer. A mismatch whose right
    /// value is known carries it (<see cref="InferredValue"/>, what a code fix writes) and the sites that decided it.
    /// </summary>
    internal sealed record PlanDiagnostic(string Id, int Layer, string? Argument, string? FallbackArgument, string[] Arguments)
    {
        public string? InferredValue { get; init; }

        public IReadOnlyList<PlanSite> Sources { get; init; } = new PlanSite[0];

        /// <summary>For a mismatch a block's declaration can fix (a residual's projection), the argument there to write and its value.</summary>
        public BlockSite? BlockFix { get; init; }

        public bool IsError => !DiagnosticIds.Warnings.Contains(Id);

        /// <summary>The message, formatted as the generator's diagnostic reads.</summary>
        public string Message => string.Format(CultureInfo.InvariantCulture, DiagnosticIds.Formats[Id], Arguments);
    }
}
