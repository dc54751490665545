using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>Per-channel statistics and normalisation, as torchvision's <c>Normalize(mean, std)</c> with one value per channel.</summary>
public sealed partial class Dataset
{
    /// <summary>
    /// The mean and the standard deviation of each channel over every sample and position (<c>N*H*W</c> values each),
    /// computed in double; the deviation is the population one (numpy's <c>std</c>), as the published CIFAR-10 figures
    /// are. Computed on a training set, they are what <see cref="Normalize(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    /// takes for it and for its test set.
    /// </summary>
    public (float[] Mean, float[] Std) ChannelStatistics()
    {
        int plane = Height * Width;
        double[] sums = new double[Channels], squares = new double[Channels];
        ReadOnlySpan<float> pixels = images;
        for (int sample = 0; sample < Count; sample++)
        {
            for (int channel = 0; channel < Channels; channel++)
            {
                foreach (float value in pixels.Slice(((sample * Channels) + channel) * plane, plane))
                {
                    sums[channel] += value;
                    squares[channel] += (double)value * value;
                }
            }
        }

        double values = (double)Count * plane;
        float[] mean = new float[Channels], std = new float[Channels];
        for (int channel = 0; channel < Channels; channel++)
        {
            double average = sums[channel] / values;
            mean[channel] = (float)average;
            std[channel] = (float)Math.Sqrt(Math.Max(0, (squares[channel] / values) - (average * average)));
        }

        return (mean, std);
    }

    /// <summary>
    /// Every pixel of channel <c>c</c> as <c>(x - mean[c]) / std[c]</c>, as torchvision's <c>Normalize</c> computes it, in a
    /// new dataset; one mean and one standard deviation per channel, each finite and the deviations positive.
    /// </summary>
    public Either<ConvGenError, Dataset> Normalize(ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.Length != Channels || std.Length != Channels)
        {
            return Left<ConvGenError, Dataset>(new ConvGenError(
                $"{Name}: normalizing {Channels} channels needs {Channels} means and {Channels} standard deviations, got {mean.Length} and {std.Length}."));
        }

        for (int channel = 0; channel < Channels; channel++)
        {
            if (!float.IsFinite(mean[channel]) || !(std[channel] > 0) || !float.IsFinite(std[channel]))
            {
                return Left<ConvGenError, Dataset>(new ConvGenError(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Name}: normalizing needs finite means and positive, finite standard deviations, got mean {mean[channel]} and std {std[channel]} for channel {channel}.")));
            }
        }

        return Right<ConvGenError, Dataset>(NormalizedChannels(mean, std));
    }

    private Dataset NormalizedChannels(ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        int plane = Height * Width;
        float[] normalized = new float[images.Length];
        for (int i = 0; i < normalized.Length; i++)
        {
            int channel = i / plane % Channels;
            normalized[i] = (images[i] - mean[channel]) / std[channel];
        }

        // The labels and targets are shared: no dataset ever writes to its arrays.
        return new Dataset(Name, normalized, labels, Channels, Height, Width, Classes, targets, TargetSize);
    }
}
