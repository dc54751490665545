using System.Collections.Immutable;
using System.Text.Json;
using ConvGen.Data;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// <see cref="RandomAffine"/>'s map against torchvision's <c>F.affine</c> on a tensor as PyTorch 1.13 computes it
/// (<c>Fixtures/affine.json</c>, written by <c>tools/fixtures/make_augmentation_fixtures.py</c>, which reproduces
/// torchvision's inverse matrix and sampling grid and calls <c>grid_sample</c>): turns, shifts, both, odd and even and
/// non-square sizes, several channels, nearest and bilinear, a fill outside the image.
/// </summary>
public sealed class AffineFixtureTests
{
    // torch builds the grid in float32, ConvGen its coordinates in double: bilinear weights differ by float rounding.
    private const double Tolerance = 1e-5;

    private static readonly Lazy<ImmutableDictionary<string, JsonElement>> Cases = new(Load);

    /// <summary>The case names, one theory row each.</summary>
    public static TheoryData<string> CaseNames() => new(Cases.Value.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TheTransformMatchesTorchvision(string name)
    {
        JsonElement fixture = Cases.Value[name];
        int[] shape = [.. fixture.GetProperty("shape").EnumerateArray().Select(size => size.GetInt32())];
        int[] translate = [.. fixture.GetProperty("translate").EnumerateArray().Select(shift => shift.GetInt32())];
        float[] input = Floats(fixture.GetProperty("input")), expected = Floats(fixture.GetProperty("output"));
        Interpolation interpolation = fixture.GetProperty("interpolation").GetString() == "nearest" ? Interpolation.Nearest : Interpolation.Bilinear;
        JsonElement fill = fixture.GetProperty("fill");
        float[] actual = new float[input.Length];

        RandomAffine.Transform(
            input, actual, shape[0], shape[1], shape[2], fixture.GetProperty("angle").GetDouble(), translate[0], translate[1], interpolation,
            fill.ValueKind == JsonValueKind.Null ? 0f : fill.GetSingle());

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Tolerance, $"{name}: value {i} is {actual[i]:R}, torchvision {expected[i]:R}.");
        }
    }

    private static float[] Floats(JsonElement values) => [.. values.EnumerateArray().Select(value => value.GetSingle())];

    private static ImmutableDictionary<string, JsonElement> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "affine.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .ToImmutableDictionary(entry => entry.GetProperty("name").GetString()!, entry => entry.Clone(), StringComparer.Ordinal);
    }
}
