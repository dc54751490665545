using System.Collections.Immutable;

namespace ConvGen;

/// <summary>
/// A network's learned values, then its buffers (BatchNorm's running statistics), as one immutable flat float32 vector,
/// addressed by PyTorch key (<c>conv1.weight</c>, <c>bn1.running_mean</c>).
/// One vector makes an optimizer step a single pass over memory and a checkpoint a single copy.
/// </summary>
public sealed class ParameterSet
{
    private readonly float[] values;

    private ParameterSet(ImmutableArray<ParameterInfo> layout, float[] values)
    {
        Layout = layout;
        this.values = values;
    }

    /// <summary>Each tensor's key, offset and shape.</summary>
    public ImmutableArray<ParameterInfo> Layout { get; }

    /// <summary>All values, in layout order.</summary>
    public ReadOnlySpan<float> Values => values;

    /// <summary>Number of values.</summary>
    public int Count => values.Length;

    /// <summary>The values of one tensor, by its key.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that key; the message lists the keys there are.</exception>
    public ReadOnlySpan<float> this[string name]
    {
        get
        {
            foreach (ParameterInfo parameter in Layout)
            {
                if (parameter.Name == name)
                {
                    return values.AsSpan(parameter.Offset, parameter.Length);
                }
            }

            throw new KeyNotFoundException($"No parameter '{name}'; this network has {string.Join(", ", Layout.Select(p => p.Name))}.");
        }
    }

    /// <summary>A parameter set holding a copy of <paramref name="values"/>, which must fill <paramref name="layout"/> exactly.</summary>
    public static ParameterSet Create(ImmutableArray<ParameterInfo> layout, ReadOnlySpan<float> values)
    {
        return Own(layout, values.ToArray());
    }

    /// <summary>Takes ownership of <paramref name="values"/> without copying; the caller must never write to it again.</summary>
    internal static ParameterSet Own(ImmutableArray<ParameterInfo> layout, float[] values)
    {
        int expected = layout.Sum(parameter => parameter.Length);
        if (values.Length != expected)
        {
            throw new ArgumentException($"The layout holds {expected} values but {values.Length} were given.", nameof(values));
        }

        return new ParameterSet(layout, values);
    }

    /// <inheritdoc/>
    public override string ToString() => $"ParameterSet({Layout.Length} tensors, {Count} values)";
}
