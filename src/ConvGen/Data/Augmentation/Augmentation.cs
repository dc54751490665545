using System.Collections.Immutable;
using ConvGen.Kernels;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>
/// A data-augmentation pipeline, as torchvision's <c>Compose</c>: its transforms applied in order to every training
/// sample each time a batch is gathered, on the prefetch thread (<c>TrainingOptions.Augmentation</c>). It is seeded and
/// deterministic: sample <c>i</c> of epoch <c>e</c> is transformed by random numbers derived from the run's seed,
/// <c>e</c> and <c>i</c> alone, so a run gives the same bits with prefetch on or off and on any number of threads, and
/// <see cref="ApplyTo"/> shows exactly what an epoch trains on. Validation and test data take only the fixed transforms
/// (<see cref="ForEvaluation"/>), as a torchvision test transform would.
/// </summary>
/// <param name="Transforms">The steps, in the order they apply.</param>
public sealed record Augmentation(params ImmutableArray<SampleTransform> Transforms)
{
    // Sets augmentation's random numbers apart from the shuffling's and dropout's, which hash the same seed.
    private const ulong Stream = 0x6175676D656E74UL;

    /// <summary>Why these transforms cannot run, or null when they can.</summary>
    public string? Validate()
    {
        if (Transforms.IsDefault || Transforms.Any(transform => transform is null))
        {
            return "Augmentation: every transform must be given; a null step cannot run.";
        }

        return Transforms.Select(transform => transform.Validate()).FirstOrDefault(problem => problem is not null);
    }

    /// <summary>Why the pipeline cannot transform the samples of <paramref name="data"/>, or null when it can.</summary>
    public string? Check(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        string? problem = Validate() ?? Transforms.Select(transform => transform.Check(data.Channels, data.Height, data.Width)).FirstOrDefault(found => found is not null);
        return problem is null ? null : $"{data.Name}: {problem}";
    }

    /// <summary>
    /// Every sample of <paramref name="data"/> as a run with <paramref name="seed"/> trains on it in epoch
    /// <paramref name="epoch"/> (counted from 1), in a new data set: to look at, or to check what the trainer sees.
    /// </summary>
    public Either<ConvGenError, Dataset> ApplyTo(Dataset data, int seed, int epoch) => Transform(data, this, seed, epoch);

    /// <summary>
    /// <paramref name="data"/> through the fixed transforms only (<see cref="Normalize"/>), the random ones left out: the
    /// validation or test data of a run trained with this pipeline, as torchvision's test transform.
    /// </summary>
    public Either<ConvGenError, Dataset> ForEvaluation(Dataset data) =>
        Transform(data, Validate() is null ? this with { Transforms = [.. Transforms.Where(transform => !transform.IsRandom)] } : this, seed: 0, epoch: 0);

    /// <summary>
    /// Transforms the samples of a batch in place: sample <c>n</c> of <paramref name="images"/> is data set sample
    /// <c>indices[n]</c>. <paramref name="scratch"/> holds one sample.
    /// </summary>
    internal void Apply(Span<float> images, ReadOnlySpan<int> indices, int seed, int epoch, int channels, int height, int width, Span<float> scratch)
    {
        int size = channels * height * width;
        ulong epochKey = RandomHash.Mix(RandomHash.Mix((ulong)seed, Stream), (ulong)epoch);
        for (int n = 0; n < indices.Length; n++)
        {
            Span<float> sample = images.Slice(n * size, size);
            ulong sampleKey = RandomHash.Mix(epochKey, (ulong)indices[n]);
            for (int step = 0; step < Transforms.Length; step++)
            {
                Transforms[step].Apply(sample, scratch, channels, height, width, RandomHash.Mix(sampleKey, (ulong)step));
            }
        }
    }

    private static Either<ConvGenError, Dataset> Transform(Dataset data, Augmentation augmentation, int seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (augmentation.Check(data) is { } problem)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError(problem));
        }

        float[] images = data.Images.ToArray();
        int[] indices = [.. Enumerable.Range(0, data.Count)];
        augmentation.Apply(images, indices, seed, epoch, data.Channels, data.Height, data.Width, new float[data.SampleSize]);
        return Right<ConvGenError, Dataset>(data.WithImages(images));
    }
}
