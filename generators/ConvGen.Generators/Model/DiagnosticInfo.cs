using System.Linq;
using ConvGen.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Model
{
    /// <summary>A diagnostic to report, as plain values: descriptor id, message arguments, primary and secondary locations.</summary>
    internal sealed record DiagnosticInfo(
        string Id,
        LocationInfo? Location,
        EquatableArray<string> MessageArguments,
        EquatableArray<LocationInfo> AdditionalLocations)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArguments)
        {
            return new DiagnosticInfo(descriptor.Id, location, messageArguments.ToEquatableArray(), EquatableArray<LocationInfo>.Empty);
        }

        public Diagnostic ToDiagnostic()
        {
            return Diagnostic.Create(
                Diagnostics.DiagnosticDescriptors.ById(Id),
                Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
                AdditionalLocations.Select(location => location.ToLocation()),
                MessageArguments.Cast<object>().ToArray());
        }
    }
}
