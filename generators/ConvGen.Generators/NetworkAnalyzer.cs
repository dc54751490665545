using System.Collections.Generic;
using System.Linq;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Planning;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators
{
    /// <summary>
    /// Plans a parsed network with the shared <see cref="NetworkPlanner"/> — the one the run-time <c>Sequential</c> uses —
    /// and places each problem it finds on the argument at fault. A pure function of the parse: no compilation, no symbols.
    /// </summary>
    internal static class NetworkAnalyzer
    {
        public static NetworkAnalysis Analyze(ParseResult parsed)
        {
            var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
            NetworkModel? model = parsed.Model;
            if (model is null || parsed.Source is null)
            {
                return new NetworkAnalysis(null, diagnostics.ToEquatableArray(), HasErrors: true);
            }

            PlannedNetwork plan = NetworkPlanner.Plan(model.TypeName, model.Input, model.Layers);
            diagnostics.AddRange(plan.Diagnostics.Select(diagnostic => Locate(diagnostic, parsed.Source)));
            bool hasErrors = diagnostics.Any(diagnostic => DiagnosticDescriptors.ById(diagnostic.Id).DefaultSeverity == DiagnosticSeverity.Error);
            return new NetworkAnalysis(model, diagnostics.ToEquatableArray(), hasErrors);
        }

        private static DiagnosticInfo Locate(PlanDiagnostic diagnostic, NetworkSource source)
        {
            var info = new DiagnosticInfo(
                diagnostic.Id, source.Locate(diagnostic.Layer, diagnostic.Argument, diagnostic.FallbackArgument), diagnostic.Arguments.ToEquatableArray(), EquatableArray<LocationInfo>.Empty);
            if (diagnostic.BlockFix is BlockSite fix && source.Locate(fix) is LocationInfo argument)
            {
                // The fix edits the block's declaration, wherever it is: its argument is the first secondary location.
                return info with { InferredValue = fix.Value, FixArgument = fix.Argument, AdditionalLocations = new[] { argument }.ToEquatableArray() };
            }

            if (diagnostic.InferredValue is null)
            {
                return info;
            }

            // The code fix writes the inferred value; the attributes that decided it are secondary locations.
            return info with
            {
                InferredValue = diagnostic.InferredValue,
                AdditionalLocations = diagnostic.Sources
                    .Select(site => source.Locate(site.Layer, site.Argument, null))
                    .Where(location => location is not null)
                    .Select(location => location!)
                    .ToEquatableArray(),
            };
        }
    }
}
