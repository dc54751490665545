using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>
/// Datasets whose targets are float values rather than class indices, as PyTorch's <c>TensorDataset(inputs, targets)</c>
/// allows: values to regress (trained with <c>TrainingLoss.Mse</c>) or one 0/1 per label of a multi-label problem
/// (trained with <c>TrainingLoss.BceWithLogits</c> or <c>Bce</c>). The network's outputs are compared with them one for one.
/// </summary>
public sealed partial class Dataset
{
    /// <summary>Float targets per sample; 0 for a dataset of class labels.</summary>
    public int TargetSize { get; }

    /// <summary>Whether the samples carry float targets (<see cref="Targets"/>) instead of class labels (<see cref="Labels"/>).</summary>
    public bool HasFloatTargets => TargetSize > 0;

    /// <summary>All float targets, <c>(N, TargetSize)</c>; empty for a dataset of class labels.</summary>
    public ReadOnlySpan<float> Targets => targets;

    /// <summary>
    /// Builds a dataset from copies of <paramref name="images"/>, <c>(N, C, H, W)</c>, and <paramref name="targets"/>,
    /// <c>(N, targetSize)</c>, checking that the counts agree and every target is a finite number.
    /// </summary>
    public static Either<ConvGenError, Dataset> CreateWithTargets(
        string name, ReadOnlySpan<float> images, ReadOnlySpan<float> targets, int targetSize, int channels, int height, int width) =>
        TargetProblem(name, images.Length, targets, targetSize, channels, height, width) is { } problem
            ? Left<ConvGenError, Dataset>(problem)
            : Right<ConvGenError, Dataset>(new Dataset(name, images.ToArray(), [], channels, height, width, classes: 0, targets.ToArray(), targetSize));

    /// <summary>
    /// The same images with <paramref name="targets"/>, <c>(N, targetSize)</c>, in place of the labels: e.g. a value to
    /// regress per image, or a row of 0/1 flags per image for several labels at once.
    /// </summary>
    public Either<ConvGenError, Dataset> WithTargets(ReadOnlySpan<float> targets, int targetSize) =>
        TargetProblem(Name, images.Length, targets, targetSize, Channels, Height, Width) is { } problem
            ? Left<ConvGenError, Dataset>(problem)
            // The pixels are shared: no dataset ever writes to its arrays.
            : Right<ConvGenError, Dataset>(new Dataset(Name, images, [], Channels, Height, Width, classes: 0, targets.ToArray(), targetSize));

    private static ConvGenError? TargetProblem(string name, int pixels, ReadOnlySpan<float> targets, int targetSize, int channels, int height, int width)
    {
        if (channels < 1 || height < 1 || width < 1 || targetSize < 1)
        {
            return new ConvGenError($"{name}: a sample shape of {channels}x{height}x{width} with {targetSize} targets each is not valid.");
        }

        long sampleSize = (long)channels * height * width;
        if (sampleSize > System.Array.MaxLength || pixels % sampleSize != 0)
        {
            return new ConvGenError($"{name}: {pixels} pixel values are not a whole number of {channels}x{height}x{width} samples ({sampleSize} values each).");
        }

        long count = pixels / sampleSize;
        if (targets.Length != count * targetSize)
        {
            return new ConvGenError($"{name}: {count} samples need {count * targetSize} target values ({targetSize} each) but there are {targets.Length}.");
        }

        int bad = targets.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
        return bad < 0 ? null : new ConvGenError(string.Create(
            CultureInfo.InvariantCulture, $"{name}: sample {bad / targetSize} has a non-finite target ({targets[bad]}) at index {bad % targetSize}; targets must be finite."));
    }
}
