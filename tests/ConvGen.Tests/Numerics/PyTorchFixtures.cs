using System.Collections.Concurrent;
using System.Text.Json;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// Reads the fixtures that <c>tools/fixtures/make_fixtures.py</c> writes with PyTorch: one JSON file per family in
/// <c>Fixtures/</c>, each a list of named cases holding a configuration and flattened row-major tensors.
/// </summary>
public static class PyTorchFixtures
{
    // Parsed once per family: MemberData asks for the names at discovery and every case again when it runs.
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, FixtureCase>> Families = new();

    /// <summary>The case names of <paramref name="family"/>, one theory row each, so every case is its own test.</summary>
    public static TheoryData<string> CaseNames(string family) => new(Load(family).Keys.Order(StringComparer.Ordinal));

    /// <summary>The case called <paramref name="name"/> in <paramref name="family"/>.</summary>
    public static FixtureCase Case(string family, string name) =>
        Load(family).TryGetValue(name, out FixtureCase? found)
            ? found
            : throw new KeyNotFoundException($"The {family} fixtures have no case named '{name}'.");

    private static IReadOnlyDictionary<string, FixtureCase> Load(string family) => Families.GetOrAdd(family, Read);

    private static IReadOnlyDictionary<string, FixtureCase> Read(string family)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", family + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No fixtures for {family} at {path}; run /usr/bin/python3 tools/fixtures/make_fixtures.py.", path);
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new Dictionary<string, FixtureCase>(StringComparer.Ordinal);
        foreach (JsonElement entry in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var fixture = new FixtureCase(
                family,
                entry.GetProperty("name").GetString()!,
                entry.GetProperty("config").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
                entry.GetProperty("tensors").EnumerateObject().ToDictionary(p => p.Name, p => ReadTensor(p.Value)));
            cases.Add(fixture.Name, fixture);
        }

        return cases;
    }

    private static FixtureTensor ReadTensor(JsonElement tensor)
    {
        int[] shape = tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        float[] values = tensor.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        return new FixtureTensor(shape, values);
    }
}
