namespace ConvGen.Data;

/// <summary>
/// torchvision's <c>RandomCrop(size, padding)</c> with the crop the sample's own size (as <c>RandomCrop(32, padding=4)</c>
/// for CIFAR-10): the sample is padded with <see cref="Fill"/> on every side by <paramref name="Padding"/>
/// (<c>padding_mode="constant"</c>, fill 0 by default), and an <c>H x W</c> window is cut at a random top-left corner,
/// each of the <c>2 * Padding + 1</c> rows and columns equally likely. The effect is a shift of up to
/// <paramref name="Padding"/> pixels each way, the uncovered border filled.
/// </summary>
/// <param name="Padding">Pixels added on each side before cropping, at least 0.</param>
public sealed record RandomCrop(int Padding) : SampleTransform
{
    /// <summary>The value of the padding pixels; torchvision's <c>fill</c>, 0 by default.</summary>
    public float Fill { get; init; }

    /// <inheritdoc/>
    public override bool IsRandom => true;

    /// <inheritdoc/>
    public override string? Validate() =>
        Padding < 0 ? $"RandomCrop: the padding must be at least 0, got {Padding}." : Finite("RandomCrop: the fill", Fill);

    internal override void Apply(Span<float> sample, Span<float> scratch, int channels, int height, int width, ulong key)
    {
        // torchvision draws the top row first, then the left column, each uniform over 0..2p of the padded image.
        int span = (2 * Padding) + 1;
        int top = Math.Min((int)(Uniform(key, 0) * span), span - 1), left = Math.Min((int)(Uniform(key, 1) * span), span - 1);
        Span<float> source = scratch[..sample.Length];
        sample.CopyTo(source);
        Crop(source, sample, channels, height, width, top - Padding, left - Padding, Fill);
    }

    /// <summary>
    /// Writes into <paramref name="destination"/> the <c>H x W</c> window of <paramref name="source"/> whose top-left pixel is
    /// source row <paramref name="rowOffset"/>, column <paramref name="columnOffset"/> (negative: above or left of the
    /// image); pixels outside the source take <paramref name="fill"/>.
    /// </summary>
    internal static void Crop(ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width, int rowOffset, int columnOffset, float fill)
    {
        // The columns of each output row that fall inside the source: one copy, the rest filled.
        int firstColumn = Math.Clamp(-columnOffset, 0, width), endColumn = Math.Clamp(width - columnOffset, 0, width);
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                Span<float> row = destination.Slice(((c * height) + y) * width, width);
                int sourceRow = y + rowOffset;
                if ((uint)sourceRow >= (uint)height || firstColumn >= endColumn)
                {
                    row.Fill(fill);
                    continue;
                }

                row[..firstColumn].Fill(fill);
                row[endColumn..].Fill(fill);
                source.Slice((((c * height) + sourceRow) * width) + firstColumn + columnOffset, endColumn - firstColumn).CopyTo(row[firstColumn..endColumn]);
            }
        }
    }
}
