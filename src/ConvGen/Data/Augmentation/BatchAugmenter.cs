namespace ConvGen.Data;

/// <summary>
/// An <see cref="Augmentation"/> bound to one run's data and seed, with the scratch sample its transforms need: what the
/// prefetch thread applies to each batch it gathers, allocating nothing.
/// </summary>
internal sealed class BatchAugmenter(Augmentation augmentation, int seed, Dataset data)
{
    private readonly float[] scratch = new float[data.SampleSize];

    /// <summary>An augmenter for a run, or null when it has no pipeline.</summary>
    public static BatchAugmenter? For(Augmentation? augmentation, int seed, Dataset data) =>
        augmentation is null ? null : new BatchAugmenter(augmentation, seed, data);

    /// <summary>Transforms the gathered samples <paramref name="indices"/> of epoch <paramref name="epoch"/> in place.</summary>
    public void Apply(Span<float> images, ReadOnlySpan<int> indices, int epoch) =>
        augmentation.Apply(images, indices, seed, epoch, data.Channels, data.Height, data.Width, scratch);
}
