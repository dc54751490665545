using System.Collections.Immutable;
using System.Globalization;

namespace ConvGen.Data;

/// <summary>
/// torchvision's <c>Normalize(mean, std)</c>: every pixel of channel <c>c</c> becomes <c>(x - Mean[c]) / Std[c]</c>, in
/// float32 as torchvision computes it. One mean and one standard deviation apply to every channel. Not random: it is
/// the part of a pipeline that <see cref="Augmentation.ForEvaluation"/> applies to the test data too.
/// </summary>
/// <param name="Mean">One mean per channel, or one for all.</param>
/// <param name="Std">One positive standard deviation per channel, or one for all; as many as means.</param>
public sealed record Normalize(ImmutableArray<float> Mean, ImmutableArray<float> Std) : SampleTransform
{
    /// <summary>The same <paramref name="mean"/> and <paramref name="std"/> for every channel, e.g. <c>new Normalize(0.1307f, 0.3081f)</c> for MNIST.</summary>
    public Normalize(float mean, float std)
        : this([mean], [std])
    {
    }

    /// <inheritdoc/>
    public override bool IsRandom => false;

    /// <inheritdoc/>
    public override string? Validate()
    {
        if (Mean.IsDefaultOrEmpty || Std.IsDefaultOrEmpty || Mean.Length != Std.Length)
        {
            return $"Normalize: needs as many standard deviations as means, at least one, got {Count(Mean)} means and {Count(Std)} standard deviations.";
        }

        return Mean.Any(mean => !float.IsFinite(mean)) || Std.Any(std => !(std > 0f) || !float.IsFinite(std))
            ? string.Create(CultureInfo.InvariantCulture, $"Normalize: needs finite means and positive, finite standard deviations, got means [{string.Join(", ", Mean)}] and standard deviations [{string.Join(", ", Std)}].")
            : null;
    }

    /// <inheritdoc/>
    public override string? Check(int channels, int height, int width) =>
        Mean.Length == 1 || Mean.Length == channels ? null : $"Normalize: has {Mean.Length} means and standard deviations for samples of {channels} channels; give one per channel, or one for all.";

    internal override void Apply(Span<float> sample, Span<float> scratch, int channels, int height, int width, ulong key)
    {
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            float mean = Mean[Mean.Length == 1 ? 0 : c], std = Std[Std.Length == 1 ? 0 : c];
            foreach (ref float pixel in sample.Slice(c * plane, plane))
            {
                pixel = (pixel - mean) / std;
            }
        }
    }

    private static int Count(ImmutableArray<float> values) => values.IsDefault ? 0 : values.Length;
}
