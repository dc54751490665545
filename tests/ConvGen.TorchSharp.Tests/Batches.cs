using ConvGen.Data;

namespace ConvGen.TorchSharp.Tests;

/// <summary>Seeded inputs for the tests.</summary>
internal static class Batches
{
    /// <summary><paramref name="count"/> samples of the network's input shape, normal values, labels below <paramref name="classes"/>.</summary>
    public static Dataset Random(NetworkLayout layout, int count, int seed)
    {
        var random = new Random(seed);
        float[] images = Normal(count * layout.InputSize, random);
        int[] labels = [.. Enumerable.Range(0, count).Select(_ => random.Next(layout.OutputSize))];
        // A sequence network's C x L samples are held as C x 1 x L.
        (int channels, int height, int width) = layout.InputShape.Length == 2
            ? (layout.InputShape[0], 1, layout.InputShape[1])
            : (layout.InputShape[0], layout.InputShape[1], layout.InputShape[2]);
        return Dataset.Create("random", images, labels, channels, height, width, layout.OutputSize)
            .Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
    }

    /// <summary>Standard normal values (Box-Muller).</summary>
    public static float[] Normal(int count, Random random) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
}
