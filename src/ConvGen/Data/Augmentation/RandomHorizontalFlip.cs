namespace ConvGen.Data;

/// <summary>
/// torchvision's <c>RandomHorizontalFlip(p)</c>: with probability <paramref name="Probability"/> the sample is mirrored
/// left to right (column <c>x</c> becomes column <c>W - 1 - x</c>, every channel and row alike); otherwise it is kept.
/// </summary>
/// <param name="Probability">The chance of a flip, in [0, 1]; 0.5 as torchvision's default.</param>
public sealed record RandomHorizontalFlip(float Probability = 0.5f) : SampleTransform
{
    /// <inheritdoc/>
    public override bool IsRandom => true;

    /// <inheritdoc/>
    public override string? Validate() =>
        Probability is >= 0f and <= 1f ? null : $"RandomHorizontalFlip: the probability must lie in [0, 1], got {Probability}.";

    internal override void Apply(Span<float> sample, Span<float> scratch, int channels, int height, int width, ulong key)
    {
        // As torchvision: flip when a uniform draw falls below p.
        if (Uniform(key, 0) < Probability)
        {
            Flip(sample, channels * height, width);
        }
    }

    /// <summary>Mirrors each of the <paramref name="rows"/> rows of <paramref name="width"/> values.</summary>
    internal static void Flip(Span<float> sample, int rows, int width)
    {
        for (int row = 0; row < rows; row++)
        {
            sample.Slice(row * width, width).Reverse();
        }
    }
}
