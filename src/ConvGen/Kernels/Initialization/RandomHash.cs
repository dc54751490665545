namespace ConvGen.Kernels;

/// <summary>Stateless random numbers: SplitMix64's finaliser over (seed, counter). Cheap, well mixed, order-free.</summary>
public static class RandomHash
{
    /// <summary>A well-mixed 64-bit value for the pair.</summary>
    public static ulong Mix(ulong seed, ulong counter)
    {
        ulong z = seed + (counter + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public static float Uniform(ulong seed, ulong counter) => (Mix(seed, counter) >> 40) * (1f / (1 << 24));
}
