using System.Collections.Immutable;
using System.Linq;
using ConvGen.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Model
{
    /// <summary>
    /// A diagnostic to report, as plain values: descriptor id, message arguments, primary and secondary locations,
    /// and for a size the generator can infer, the value a code fix should write (<see cref="InferredValueProperty"/>).
    /// </summary>
    internal sealed record DiagnosticInfo(
        string Id,
        LocationInfo? Location,
        EquatableArray<string> MessageArguments,
        EquatableArray<LocationInfo> AdditionalLocations,
        string? InferredValue = null,
        string? FixArgument = null)
    {
        /// <summary>The diagnostic property holding the inferred value; the code fix reads it.</summary>
        public const string InferredValueProperty = "ConvGen.InferredValue";

        /// <summary>
        /// The diagnostic property naming the argument the code fix writes in the declaration at the first additional
        /// location (a block's layer), when it is not the diagnostic's own location: <c>OutChannels</c>, <c>Stride</c>.
        /// </summary>
        public const string FixArgumentProperty = "ConvGen.FixArgument";

        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArguments)
        {
            return new DiagnosticInfo(descriptor.Id, location, messageArguments.ToEquatableArray(), EquatableArray<LocationInfo>.Empty);
        }

        /// <summary>The diagnostic, placed in <paramref name="compilation"/>'s own syntax tree when it has the file, so that suppressions apply.</summary>
        public Diagnostic ToDiagnostic(Compilation? compilation = null)
        {
            ImmutableDictionary<string, string?> properties = InferredValue is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(InferredValueProperty, InferredValue);
            if (FixArgument is not null)
            {
                properties = properties.Add(FixArgumentProperty, FixArgument);
            }

            return Diagnostic.Create(
                Diagnostics.DiagnosticDescriptors.ById(Id),
                Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None,
                AdditionalLocations.Select(location => location.ToLocation(compilation)),
                properties,
                MessageArguments.Cast<object>().ToArray());
        }
    }
}
