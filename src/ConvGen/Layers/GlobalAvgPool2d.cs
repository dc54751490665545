using ConvGen.Shapes;

namespace ConvGen.Layers;

/// <summary>
/// Global average pooling, <c>(N, C, H, W) -> (N, C, 1, 1)</c>: <c>torch.nn.AdaptiveAvgPool2d(1)</c>, which it is in every
/// respect, named so, as the generator's <c>[GlobalAvgPool2d]</c> is. <c>new GlobalAvgPool2d()</c>.
/// </summary>
public sealed record GlobalAvgPool2d : Layer
{
    private static readonly AdaptiveAvgPool2d Pool = new(1);

    /// <summary><c>AdaptiveAvgPool2d</c>: PyTorch has no class of its own for it.</summary>
    public override string Kind => Pool.Kind;

    internal override string NamePrefix => Pool.NamePrefix;

    internal override ActivationShape? Infer(ShapeWalk walk) => Pool.Infer(walk);

    // Described as what it is, so that it equals a generated network's [GlobalAvgPool2d].
    internal override Layer Resolved(LayerPlan plan) => Pool with { Name = plan.Name };

    internal override ReceptiveField Widen(ReceptiveField field, LayerPlan plan) => Pool.Widen(field, plan);

    internal override LayerRunner CreateRunner(LayerPlan plan, int batchCapacity) => Pool.CreateRunner(plan, batchCapacity);
}
