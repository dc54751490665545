namespace ConvGen.Kernels;

/// <summary>
/// Parameter initialisers. The defaults are PyTorch's for Conv2d and Linear: weights from kaiming-uniform with
/// <c>a = sqrt(5)</c>, which is <c>U(-1/sqrt(fan_in), 1/sqrt(fan_in))</c>, and biases from the same bound.
/// Randomness is passed in explicitly as a seed and a stream number.
/// </summary>
public static class Initializers
{
    /// <summary>Fills <paramref name="values"/> from <c>U(-bound, bound)</c>, drawing stream <paramref name="stream"/> of <paramref name="seed"/>.</summary>
    public static void Uniform(Span<float> values, float bound, ulong seed, ulong stream)
    {
        ulong streamSeed = RandomHash.Mix(seed, stream);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (2f * RandomHash.Uniform(streamSeed, (ulong)i) - 1f) * bound;
        }
    }

    /// <summary>
    /// Fills <paramref name="values"/> from <c>N(0, std^2)</c>, drawing stream <paramref name="stream"/> of <paramref name="seed"/>:
    /// Box-Muller on pairs of 53-bit uniforms in (0, 1], so the tails reach 8.5 standard deviations and never infinity.
    /// </summary>
    public static void Normal(Span<float> values, float std, ulong seed, ulong stream)
    {
        ulong streamSeed = RandomHash.Mix(seed, stream);
        for (int i = 0; i < values.Length; i += 2)
        {
            double radius = Math.Sqrt(-2.0 * Math.Log(UniformOpenAtZero(streamSeed, (ulong)i)));
            (double sin, double cos) = Math.SinCos(2.0 * Math.PI * UniformOpenAtZero(streamSeed, (ulong)i + 1));
            values[i] = (float)(radius * cos * std);
            if (i + 1 < values.Length)
            {
                values[i + 1] = (float)(radius * sin * std);
            }
        }
    }

    private static double UniformOpenAtZero(ulong seed, ulong counter) => ((RandomHash.Mix(seed, counter) >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>PyTorch's default for a layer weight: kaiming-uniform with <c>a = sqrt(5)</c>, i.e. bound <c>1/sqrt(fan_in)</c>.</summary>
    public static void DefaultWeight(Span<float> values, int fanIn, ulong seed, ulong stream) => KaimingUniform(values, fanIn, MathF.Sqrt(5f), seed, stream);

    /// <summary>PyTorch's default for a layer bias: <c>U(-1/sqrt(fan_in), 1/sqrt(fan_in))</c>.</summary>
    public static void DefaultBias(Span<float> values, int fanIn, ulong seed, ulong stream) => Uniform(values, fanIn > 0 ? 1f / MathF.Sqrt(fanIn) : 0f, seed, stream);

    /// <summary>Kaiming (He) uniform for leaky-ReLU slope <paramref name="a"/>: bound <c>sqrt(2/(1+a^2)) * sqrt(3/fan_in)</c>.</summary>
    public static void KaimingUniform(Span<float> values, int fanIn, float a, ulong seed, ulong stream)
    {
        float gain = MathF.Sqrt(2f / (1f + a * a));
        Uniform(values, gain * MathF.Sqrt(3f / fanIn), seed, stream);
    }
}
