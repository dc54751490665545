using ConvGen.Generators.Helpers;

namespace ConvGen.Generators.Model
{
    /// <summary>What parsing found: a model and its source locations when the declaration could be read, and what was wrong with it.</summary>
    internal sealed record ParseResult(NetworkModel? Model, NetworkSource? Source, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>
    /// A planned network: the location-free model the emitter prints when nothing is wrong, and every diagnostic with its
    /// location. Source output reads only <see cref="Model"/>, so moving the declaration re-reports but never re-emits.
    /// </summary>
    internal sealed record NetworkAnalysis(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, bool HasErrors);
}
