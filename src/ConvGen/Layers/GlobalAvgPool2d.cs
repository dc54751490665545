using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// Global average pooling, <c>(N, C, H, W) -> (N, C, 1, 1)</c>: <c>torch.nn.AdaptiveAvgPool2d(1)</c>, which it is in every
/// respect, named so, as the generator's <c>[GlobalAvgPool2d]</c> is. <c>new GlobalAvgPool2d()</c>.
/// </summary>
public sealed record GlobalAvgPool2d : Layer
{
    private AdaptiveAvgPool2d Pool => new(1) { Name = Name };

    internal override LayerSpec Spec => Pool.Spec;

    // Described as what it is, so that it equals a generated network's [GlobalAvgPool2d].
    internal override Layer Resolved(PlannedLayer plan) => Pool with { Name = plan.Name };

    internal override LayerRunner CreateRunner(PlannedLayer plan, int batchCapacity) => Pool.CreateRunner(plan, batchCapacity);
}
