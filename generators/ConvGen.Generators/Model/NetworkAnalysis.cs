using ConvGen.Generators.Helpers;
using ConvGen.Shapes;

namespace ConvGen.Generators.Model
{
    /// <summary>What parsing found: a model when the declaration could be read, and what was wrong with it.</summary>
    internal sealed record ParseResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>A network with every layer's output shape inferred, or the diagnostics that stopped inference.</summary>
    internal sealed record NetworkAnalysis(
        NetworkModel? Model,
        EquatableArray<ActivationShape> OutputShapes,
        EquatableArray<DiagnosticInfo> Diagnostics,
        bool HasErrors);
}
