using ConvGen.Kernels;

namespace ConvGen.Data;

/// <summary>
/// One step of an <see cref="Augmentation"/> pipeline, as an immutable value: it changes one <c>C x H x W</c> sample in
/// place, keeping its shape. A random transform draws its numbers from a key the pipeline derives from the run's seed,
/// the epoch and the sample's index in the data set, never from shared state, so the result does not depend on which
/// thread applies it or in which order.
/// </summary>
public abstract record SampleTransform
{
    /// <summary>Whether the transform draws random numbers; the fixed ones are what <see cref="Augmentation.ForEvaluation"/> keeps.</summary>
    public abstract bool IsRandom { get; }

    /// <summary>Why these settings cannot transform any sample, or null when they can.</summary>
    public abstract string? Validate();

    /// <summary>Why the settings cannot transform samples of <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/>, or null when they can.</summary>
    public virtual string? Check(int channels, int height, int width) => null;

    /// <summary>
    /// Transforms <paramref name="sample"/> (<c>C x H x W</c>) in place. <paramref name="scratch"/> holds at least one sample
    /// for transforms that read the original while writing; <paramref name="key"/> is this sample's and this step's key.
    /// </summary>
    internal abstract void Apply(Span<float> sample, Span<float> scratch, int channels, int height, int width, ulong key);

    /// <summary>The <paramref name="draw"/>-th uniform number in [0, 1) of a sample's <paramref name="key"/>.</summary>
    private protected static float Uniform(ulong key, int draw) => RandomHash.Uniform(key, (ulong)draw);

    /// <summary>Why <paramref name="value"/> is not a finite number, or null when it is.</summary>
    private protected static string? Finite(string name, float value) =>
        float.IsFinite(value) ? null : $"{name} must be a finite number, got {value}.";
}
