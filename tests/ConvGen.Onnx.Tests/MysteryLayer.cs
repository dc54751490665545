using ConvGen.Layers;
using ConvGen.Shapes;

namespace ConvGen.Onnx.Tests;

/// <summary>A layer kind the exporter has never heard of, as a layer added to ConvGen before its ONNX form would be.</summary>
internal sealed record MysteryLayer : Layer
{
    internal override string NamePrefix => "mystery";

    internal override ActivationShape? Infer(ShapeWalk walk) => walk.Shape;

    internal override LayerRunner CreateRunner(LayerPlan plan, int batchCapacity) =>
        throw new NotSupportedException("The export tests never run a mystery layer.");
}
