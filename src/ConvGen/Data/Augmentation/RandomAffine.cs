namespace ConvGen.Data;

/// <summary>
/// torchvision's <c>RandomAffine(degrees, translate)</c> on a tensor, without scale or shear: a rotation by an angle drawn
/// uniformly from <c>[-Degrees, Degrees]</c> (clockwise on the image, about its centre) and a shift by a whole number of
/// pixels, <c>round(uniform(-TranslateX * W, TranslateX * W))</c> across and likewise down. Each output pixel reads the
/// input where the inverse transform takes its centre, as torchvision's <c>affine_grid</c> and
/// <c>grid_sample(align_corners=False)</c> do; where that lies outside the image it reads <see cref="Fill"/>.
/// </summary>
/// <param name="Degrees">The largest rotation either way, in degrees, in [0, 180].</param>
/// <param name="TranslateX">The largest horizontal shift as a fraction of the width, in [0, 1].</param>
/// <param name="TranslateY">The largest vertical shift as a fraction of the height, in [0, 1].</param>
public sealed record RandomAffine(float Degrees, float TranslateX = 0f, float TranslateY = 0f) : SampleTransform
{
    /// <summary>How pixels between centres are read: nearest (torchvision's default) or bilinear.</summary>
    public Interpolation Interpolation { get; init; } = Interpolation.Nearest;

    /// <summary>The value read outside the image; torchvision's <c>fill</c>, 0 by default.</summary>
    public float Fill { get; init; }

    /// <inheritdoc/>
    public override bool IsRandom => true;

    /// <inheritdoc/>
    public override string? Validate() =>
        !(Degrees is >= 0f and <= 180f) ? $"RandomAffine: the rotation range must lie in [0, 180] degrees, got {Degrees}."
        : !(TranslateX is >= 0f and <= 1f) || !(TranslateY is >= 0f and <= 1f)
            ? $"RandomAffine: the translations are fractions of the size and must lie in [0, 1], got {TranslateX} and {TranslateY}."
        : !Enum.IsDefined(Interpolation) ? $"RandomAffine: {Interpolation} is not an interpolation."
        : Finite("RandomAffine: the fill", Fill);

    internal override void Apply(Span<float> sample, Span<float> scratch, int channels, int height, int width, ulong key)
    {
        // torchvision's draw order: the angle, then the horizontal and the vertical shift, each rounded half to even.
        double angle = Degrees * ((2.0 * Uniform(key, 0)) - 1.0);
        double largestX = TranslateX * width, largestY = TranslateY * height;
        int shiftX = (int)Math.Round(largestX * ((2.0 * Uniform(key, 1)) - 1.0), MidpointRounding.ToEven);
        int shiftY = (int)Math.Round(largestY * ((2.0 * Uniform(key, 2)) - 1.0), MidpointRounding.ToEven);
        Span<float> source = scratch[..sample.Length];
        sample.CopyTo(source);
        Transform(source, sample, channels, height, width, angle, shiftX, shiftY, Interpolation, Fill);
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> <paramref name="source"/> rotated clockwise by <paramref name="degrees"/>
    /// about the centre, then shifted right by <paramref name="shiftX"/> and down by <paramref name="shiftY"/> pixels.
    /// </summary>
    internal static void Transform(
        ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width, double degrees, double shiftX, double shiftY,
        Interpolation interpolation, float fill)
    {
        double radians = degrees * Math.PI / 180.0, cos = Math.Cos(radians), sin = Math.Sin(radians);
        double centreX = width * 0.5, centreY = height * 0.5;
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            // The output pixel's centre relative to the image centre, less the shift: what the inverse rotation turns back.
            double relativeY = y + 0.5 - centreY - shiftY;
            for (int x = 0; x < width; x++)
            {
                double relativeX = x + 0.5 - centreX - shiftX;
                // Source position in pixel indices (pixel x's centre is at x), as grid_sample with align_corners=False.
                double sourceX = (cos * relativeX) + (sin * relativeY) + centreX - 0.5;
                double sourceY = (-sin * relativeX) + (cos * relativeY) + centreY - 0.5;
                int output = (y * width) + x;
                if (interpolation == Interpolation.Nearest)
                {
                    int column = (int)Math.Round(sourceX, MidpointRounding.ToEven), row = (int)Math.Round(sourceY, MidpointRounding.ToEven);
                    bool inside = (uint)column < (uint)width && (uint)row < (uint)height;
                    for (int c = 0; c < channels; c++)
                    {
                        destination[(c * plane) + output] = inside ? source[(c * plane) + (row * width) + column] : fill;
                    }

                    continue;
                }

                int left = (int)Math.Floor(sourceX), top = (int)Math.Floor(sourceY);
                double right = sourceX - left, bottom = sourceY - top;
                for (int c = 0; c < channels; c++)
                {
                    ReadOnlySpan<float> channel = source.Slice(c * plane, plane);
                    double value = ((1 - bottom) * (((1 - right) * Read(channel, top, left, height, width, fill)) + (right * Read(channel, top, left + 1, height, width, fill))))
                        + (bottom * (((1 - right) * Read(channel, top + 1, left, height, width, fill)) + (right * Read(channel, top + 1, left + 1, height, width, fill))));
                    destination[(c * plane) + output] = (float)value;
                }
            }
        }
    }

    private static float Read(ReadOnlySpan<float> channel, int row, int column, int height, int width, float fill) =>
        (uint)row < (uint)height && (uint)column < (uint)width ? channel[(row * width) + column] : fill;
}
