using ConvGen.Layers;
using ConvGen.Planning;

namespace ConvGen.Onnx.Tests;

/// <summary>
/// A layer value the exporter has never heard of, as a layer added to ConvGen before its ONNX form would be: it plans as
/// an element-wise layer, and is named <c>mystery1</c> unless given a name.
/// </summary>
internal sealed record MysteryLayer : Layer
{
    internal override LayerSpec Spec => new(LayerKind.ReLU) { Name = Name ?? "mystery1" };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) =>
        throw new NotSupportedException("The export tests never run a mystery layer.");
}
