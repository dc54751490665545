using ConvGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators
{
    /// <summary>
    /// Finds every <c>[Network]</c> record, infers each layer's output shape, reports what does not fit
    /// and emits shape-specialised Forward, Backward and initialisation code. This file only wires the steps.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class ConvGenGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, asserted by the incrementality tests.</summary>
        public static class StepNames
        {
            public const string Parse = "ConvGen.Parse";
            public const string Analyze = "ConvGen.Analyze";
            public const string Emittable = "ConvGen.Emittable";
        }

        internal const string NetworkAttributeName = "ConvGen.NetworkAttribute";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<NetworkAnalysis> analyses = context.SyntaxProvider
                .ForAttributeWithMetadataName(NetworkAttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax, Parser.Parse)
                .WithTrackingName(StepNames.Parse)
                .Select(static (parsed, _) => NetworkAnalyzer.Analyze(parsed))
                .WithTrackingName(StepNames.Analyze);

            // Only the location-free model reaches the source output: moving a declaration re-reports, never re-emits.
            IncrementalValuesProvider<NetworkModel> emittable = analyses
                .Where(static analysis => !analysis.HasErrors && analysis.Model is not null)
                .Select(static (analysis, _) => analysis.Model!)
                .WithTrackingName(StepNames.Emittable);
            context.RegisterSourceOutput(emittable, Emitter.Emit);

            // Diagnostics are placed in the compilation's own syntax trees, so #pragma and .editorconfig severities apply.
            context.RegisterSourceOutput(analyses.Select(static (analysis, _) => analysis.Diagnostics).Combine(context.CompilationProvider), ReportDiagnostics);
        }

        private static void ReportDiagnostics(SourceProductionContext context, (Helpers.EquatableArray<DiagnosticInfo> Diagnostics, Compilation Compilation) input)
        {
            foreach (DiagnosticInfo diagnostic in input.Diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(input.Compilation));
            }
        }
    }
}
