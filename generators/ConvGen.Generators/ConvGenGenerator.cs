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
        }

        internal const string NetworkAttributeName = "ConvGen.NetworkAttribute";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<NetworkAnalysis> analyses = context.SyntaxProvider
                .ForAttributeWithMetadataName(NetworkAttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax, Parser.Parse)
                .WithTrackingName(StepNames.Parse)
                .Select(static (parsed, _) => ShapeInference.Analyze(parsed))
                .WithTrackingName(StepNames.Analyze);

            context.RegisterSourceOutput(analyses.Select(static (analysis, _) => analysis.Diagnostics), ReportDiagnostics);
            context.RegisterSourceOutput(analyses.Where(static analysis => !analysis.HasErrors && analysis.Model is not null), Emitter.Emit);
        }

        private static void ReportDiagnostics(SourceProductionContext context, Helpers.EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        }
    }
}
