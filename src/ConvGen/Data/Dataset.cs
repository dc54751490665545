using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>
/// Labelled images as an immutable value: <c>N</c> samples of <c>C x H x W</c> float32 pixels (NCHW) and, per sample,
/// either one class index or <see cref="TargetSize"/> float targets (as PyTorch's <c>TensorDataset</c> holds any target
/// tensor: values to regress, or a 0/1 per label). Splitting and shuffling return new datasets; nothing a user holds is
/// ever changed.
/// </summary>
public sealed partial class Dataset
{
    private readonly float[] images;
    private readonly int[] labels;
    private readonly float[] targets;

    private Dataset(string name, float[] images, int[] labels, int channels, int height, int width, int classes, float[]? targets = null, int targetSize = 0)
    {
        Name = name;
        this.images = images;
        this.labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
        this.targets = targets ?? [];
        TargetSize = targetSize;
        Count = targetSize == 0 ? labels.Length : this.targets.Length / targetSize;
    }

    /// <summary>Where the data came from, for messages.</summary>
    public string Name { get; }

    /// <summary>Channels per sample.</summary>
    public int Channels { get; }

    /// <summary>Height per sample.</summary>
    public int Height { get; }

    /// <summary>Width per sample.</summary>
    public int Width { get; }

    /// <summary>Number of classes; every label lies in <c>[0, Classes)</c>. 0 for a dataset of float targets.</summary>
    public int Classes { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Values per sample, <c>C*H*W</c>.</summary>
    public int SampleSize => Channels * Height * Width;

    /// <summary>All pixels, <c>(N, C, H, W)</c>.</summary>
    public ReadOnlySpan<float> Images => images;

    /// <summary>All labels, <c>(N)</c>; empty for a dataset of float targets.</summary>
    public ReadOnlySpan<int> Labels => labels;

    /// <summary>The shape of one sample as <c>CxHxW</c>.</summary>
    public string SampleShapeText => $"{Channels}x{Height}x{Width}";

    /// <summary>
    /// Builds a dataset from copies of <paramref name="images"/> and <paramref name="labels"/>, checking that the
    /// counts agree and every label is a class index.
    /// </summary>
    public static Either<ConvGenError, Dataset> Create(
        string name, ReadOnlySpan<float> images, ReadOnlySpan<int> labels, int channels, int height, int width, int classes)
    {
        return Own(name, images.ToArray(), labels.ToArray(), channels, height, width, classes);
    }

    /// <summary>As <see cref="Create"/>, taking ownership of arrays nobody else holds.</summary>
    internal static Either<ConvGenError, Dataset> Own(string name, float[] images, int[] labels, int channels, int height, int width, int classes)
    {
        if (channels < 1 || height < 1 || width < 1 || classes < 1)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError($"{name}: a sample shape of {channels}x{height}x{width} with {classes} classes is not valid."));
        }

        long sampleSize = (long)channels * height * width;
        if (sampleSize > System.Array.MaxLength)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError($"{name}: a sample of {channels}x{height}x{width} holds {sampleSize} values, more than one array can hold ({System.Array.MaxLength})."));
        }

        if (images.LongLength != sampleSize * labels.Length)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError(
                $"{name}: {labels.Length} labels need {sampleSize * labels.Length} pixel values ({channels}x{height}x{width} each) but there are {images.Length}."));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                return Left<ConvGenError, Dataset>(new ConvGenError($"{name}: sample {i} has label {labels[i]}, outside the {classes} classes 0..{classes - 1}."));
            }
        }

        return Right<ConvGenError, Dataset>(new Dataset(name, images, labels, channels, height, width, classes));
    }

    /// <summary>The samples at <paramref name="indices"/>, in that order, as a new dataset.</summary>
    public Dataset Select(ReadOnlySpan<int> indices, string? name = null)
    {
        var selectedImages = new float[indices.Length * SampleSize];
        var selectedLabels = new int[TargetSize == 0 ? indices.Length : 0];
        var selectedTargets = new float[indices.Length * TargetSize];
        for (int i = 0; i < indices.Length; i++)
        {
            images.AsSpan(indices[i] * SampleSize, SampleSize).CopyTo(selectedImages.AsSpan(i * SampleSize));
            if (TargetSize == 0)
            {
                selectedLabels[i] = labels[indices[i]];
            }
            else
            {
                targets.AsSpan(indices[i] * TargetSize, TargetSize).CopyTo(selectedTargets.AsSpan(i * TargetSize));
            }
        }

        return new Dataset(name ?? Name, selectedImages, selectedLabels, Channels, Height, Width, Classes, selectedTargets, TargetSize);
    }

    /// <summary>
    /// A seeded random split: the first part gets <paramref name="firstFraction"/> of the samples (rounded down),
    /// the second the rest. The same seed always gives the same split.
    /// </summary>
    public (Dataset First, Dataset Second) Split(double firstFraction, int seed)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The split fraction must lie strictly between 0 and 1.");
        }

        int[] order = Permutation(Count, seed);
        int firstCount = (int)(Count * firstFraction);
        return (Select(order.AsSpan(0, firstCount), Name + " (train split)"), Select(order.AsSpan(firstCount), Name + " (test split)"));
    }

    /// <summary>A seeded Fisher-Yates permutation of <c>0..count-1</c>.</summary>
    public static int[] Permutation(int count, int seed)
    {
        int[] order = Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>
    /// Every pixel as <c>(x - mean) / std</c>, as torchvision's <c>Normalize</c> computes it, in a new dataset; e.g.
    /// <c>Normalize(0.1307f, 0.3081f)</c> for MNIST. The standard deviation must be a positive number.
    /// </summary>
    public Either<ConvGenError, Dataset> Normalize(float mean, float std)
    {
        if (!float.IsFinite(mean) || !(std > 0) || !float.IsFinite(std))
        {
            return Left<ConvGenError, Dataset>(new ConvGenError(string.Create(
                CultureInfo.InvariantCulture,
                $"{Name}: normalizing needs a finite mean and a positive, finite standard deviation, got mean {mean} and std {std}.")));
        }

        float[] means = new float[Channels], stds = new float[Channels];
        means.AsSpan().Fill(mean);
        stds.AsSpan().Fill(std);
        return Right<ConvGenError, Dataset>(NormalizedChannels(means, stds));
    }

    /// <summary>The same samples' labels with other pixels (as many), for transforms that never change the labels.</summary>
    internal Dataset WithImages(float[] newImages) => new(Name, newImages, labels, Channels, Height, Width, Classes);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {Count} samples of {SampleShapeText}, " + (TargetSize == 0 ? $"{Classes} classes" : $"{TargetSize} float target{(TargetSize == 1 ? string.Empty : "s")} each");
}
