using System.Text.Json;

namespace ConvGen.Tests.Numerics;

/// <summary>One fixture case: its configuration (the PyTorch call's arguments) and its named tensors.</summary>
public sealed class FixtureCase(string family, string name, IReadOnlyDictionary<string, JsonElement> config, IReadOnlyDictionary<string, FixtureTensor> tensors)
{
    /// <summary>The family the case belongs to, e.g. <c>conv2d</c>.</summary>
    public string Family { get; } = family;

    /// <summary>The case's name, also its test's display argument.</summary>
    public string Name { get; } = name;

    /// <summary>An integer setting.</summary>
    public int Int(string key) => Setting(key).GetInt32();

    /// <summary>A real-valued setting, as the C# hyperparameters take it.</summary>
    public float Float(string key) => Setting(key).GetSingle();

    /// <summary>A list of integers, such as a shape.</summary>
    public int[] Ints(string key) => Setting(key).EnumerateArray().Select(value => value.GetInt32()).ToArray();

    /// <summary>A real-valued setting at full precision, for numbers C# computes in double too.</summary>
    public double Double(string key) => Setting(key).GetDouble();

    /// <summary>A flag.</summary>
    public bool Bool(string key) => Setting(key).GetBoolean();

    /// <summary>A text setting.</summary>
    public string Text(string key) => Setting(key).GetString()!;

    /// <summary>Whether the case stores a tensor called <paramref name="key"/> (a bias, say, is optional).</summary>
    public bool Has(string key) => tensors.ContainsKey(key);

    /// <summary>The tensor called <paramref name="key"/>.</summary>
    public FixtureTensor Tensor(string key) =>
        tensors.TryGetValue(key, out FixtureTensor? tensor)
            ? tensor
            : throw new KeyNotFoundException($"{Family} case '{Name}' has no tensor '{key}'; it has {string.Join(", ", tensors.Keys)}.");

    private JsonElement Setting(string key) =>
        config.TryGetValue(key, out JsonElement value)
            ? value
            : throw new KeyNotFoundException($"{Family} case '{Name}' has no setting '{key}'; it has {string.Join(", ", config.Keys)}.");

    /// <inheritdoc/>
    public override string ToString() => $"{Family} {Name}";
}

/// <summary>A tensor as PyTorch stored it: its shape and its values flattened row-major.</summary>
public sealed record FixtureTensor(int[] Shape, float[] Values)
{
    /// <summary>The shape as PyTorch prints it, e.g. <c>(2, 3, 5, 5)</c>.</summary>
    public string ShapeText => "(" + string.Join(", ", Shape) + ")";

    /// <summary>The sub-tensor at <paramref name="index"/> along the first axis, e.g. one step of a trajectory.</summary>
    public FixtureTensor Row(int index)
    {
        int size = Values.Length / Shape[0];
        return new FixtureTensor(Shape[1..], Values[(index * size)..((index + 1) * size)]);
    }

    /// <summary>The values as integers, for class targets and pooling indices.</summary>
    public int[] AsIntegers() =>
        Values.Select(v => v == MathF.Round(v) ? (int)v : throw new InvalidDataException($"Expected integers but found {v}.")).ToArray();
}
