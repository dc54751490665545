namespace ConvGen.Data;

/// <summary>
/// <c>Take</c> and <c>Skip</c> on a <see cref="Dataset"/>, with LINQ's meaning (a count past either end is clamped,
/// never an error), so <c>dataset.Take(2000)</c> does what a C# developer expects: the first 2000 samples, as a dataset.
/// </summary>
public static class DatasetSlicing
{
    /// <summary>The first <paramref name="count"/> samples in order (all of them if there are fewer; none if <paramref name="count"/> is 0 or less).</summary>
    public static Dataset Take(this Dataset dataset, int count)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Range(dataset, 0, Math.Clamp(count, 0, dataset.Count), $"{dataset.Name} (first {Math.Max(count, 0)})");
    }

    /// <summary>Every sample after the first <paramref name="count"/>, in order (none if there are fewer; all if <paramref name="count"/> is 0 or less).</summary>
    public static Dataset Skip(this Dataset dataset, int count)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int start = Math.Clamp(count, 0, dataset.Count);
        return Range(dataset, start, dataset.Count - start, $"{dataset.Name} (after {Math.Max(count, 0)})");
    }

    private static Dataset Range(Dataset dataset, int start, int length, string name) =>
        dataset.Select(Enumerable.Range(start, length).ToArray(), name);
}
