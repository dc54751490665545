using System.Collections.Immutable;

namespace ConvGen.Imaging.Skia;

/// <summary>
/// How an image file becomes a network input: the channels (1 for greyscale, 3 for RGB) and size the network takes,
/// and the normalisation it was trained with. Each pixel is first scaled to [0, 1], then inverted when
/// <see cref="Invert"/> is set, then mapped to <c>(x - mean) / standardDeviation</c> per channel.
/// </summary>
/// <param name="Channels">1 (greyscale, BT.601 luma of the RGB values) or 3 (red, green, blue planes in that order).</param>
/// <param name="Height">Rows of the network's input; the image is resized to it.</param>
/// <param name="Width">Columns of the network's input; the image is resized to it (the aspect ratio is not kept).</param>
public sealed record ImageInputOptions(int Channels, int Height, int Width)
{
    /// <summary>The mean subtracted after scaling to [0, 1]: one value for every channel, or one per channel.</summary>
    public ImmutableArray<float> Mean { get; init; } = [0f];

    /// <summary>The standard deviation divided by after subtracting the mean: one value, or one per channel; none may be 0.</summary>
    public ImmutableArray<float> StandardDeviation { get; init; } = [1f];

    /// <summary>
    /// Whether to use <c>1 - x</c>: a network trained on MNIST-style white-on-black digits reading dark ink on white paper.
    /// </summary>
    public bool Invert { get; init; }

    /// <summary>A greyscale input of <paramref name="height"/> x <paramref name="width"/>, scaled to [0, 1].</summary>
    public static ImageInputOptions Greyscale(int height, int width) => new(1, height, width);

    /// <summary>An RGB input of <paramref name="height"/> x <paramref name="width"/>, scaled to [0, 1].</summary>
    public static ImageInputOptions Rgb(int height, int width) => new(3, height, width);

    /// <summary>The values one input holds: <c>Channels * Height * Width</c>.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Why these options cannot describe an input, or null when they can.</summary>
    internal ConvGenError? Problem() =>
        Channels is not (1 or 3) ? new ConvGenError($"An image input has 1 (greyscale) or 3 (RGB) channels, not {Channels}.")
        : Height < 1 || Width < 1 ? new ConvGenError($"An image input needs a positive size, not {Height}x{Width}.")
        : !FitsChannels(Mean) ? new ConvGenError($"The mean needs 1 or {Channels} values, not {Mean.Length}.")
        : !FitsChannels(StandardDeviation) ? new ConvGenError($"The standard deviation needs 1 or {Channels} values, not {StandardDeviation.Length}.")
        : StandardDeviation.Any(value => value == 0f || !float.IsFinite(value)) ? new ConvGenError($"Every standard deviation must be finite and non-zero: {string.Join(", ", StandardDeviation)}.")
        : Mean.Any(value => !float.IsFinite(value)) ? new ConvGenError($"Every mean must be finite: {string.Join(", ", Mean)}.")
        : null;

    /// <summary>The mean of <paramref name="channel"/>.</summary>
    internal float MeanOf(int channel) => Mean.Length == 1 ? Mean[0] : Mean[channel];

    /// <summary>The standard deviation of <paramref name="channel"/>.</summary>
    internal float StandardDeviationOf(int channel) => StandardDeviation.Length == 1 ? StandardDeviation[0] : StandardDeviation[channel];

    private bool FitsChannels(ImmutableArray<float> values) => !values.IsDefault && (values.Length == 1 || values.Length == Channels);
}
