using System.Globalization;

namespace ConvGen.Layers;

/// <summary>
/// The per-sample shape of an activation: <c>C x H x W</c> planes, a <c>C x L</c> sequence (held as height 1 and width L,
/// the layout the kernels run a Conv1d in), or a flat vector of <see cref="Channels"/> features. Sizes are 64-bit so
/// that absurd hyperparameters give an error, not an overflow.
/// </summary>
internal readonly record struct ActivationShape(long Channels, long Height, long Width, bool IsFlat, bool IsSequence = false)
{
    public static ActivationShape Planes(long channels, long height, long width) => new(channels, height, width, false);

    public static ActivationShape Sequence(long channels, long length) => new(channels, 1, length, false, IsSequence: true);

    public static ActivationShape Features(long features) => new(features, 1, 1, true);

    /// <summary>Values per sample. Only for shapes the walk accepted, whose volume fits.</summary>
    public long Volume => Channels * Height * Width;

    /// <summary>The shape as a <see cref="NetworkLayout"/> lists it: <c>[C, H, W]</c>, <c>[C, L]</c>, or <c>[features]</c> once flat.</summary>
    public int[] Dimensions => IsFlat ? [(int)Channels] : IsSequence ? [(int)Channels, (int)Width] : [(int)Channels, (int)Height, (int)Width];

    /// <summary><c>16x8x8</c>, <c>16x20</c> for a sequence, or <c>256</c> once flat.</summary>
    public override string ToString() => string.Join("x", Dimensions.Select(size => size.ToString(CultureInfo.InvariantCulture)));
}
