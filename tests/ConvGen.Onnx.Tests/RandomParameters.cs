using System.Collections.Immutable;

namespace ConvGen.Onnx.Tests;

/// <summary>
/// Parameters that exercise every term of the inference forward pass: PyTorch's initialisation (which keeps
/// activations near unit scale) for the learned tensors, but batch norm's scale, shift and running statistics drawn at
/// random instead of left at 1, 0, 0 and 1, where a wrong mapping would go unseen.
/// </summary>
internal static class RandomParameters
{
    public static ParameterSet Perturb(ParameterSet initial, int seed)
    {
        var random = new Random(seed);
        float[] values = initial.Values.ToArray();
        ImmutableArray<ParameterInfo> layout = initial.Layout;
        var normalised = layout.Where(p => p.Name.EndsWith(".running_mean", StringComparison.Ordinal)).Select(p => p.Name[..^".running_mean".Length]).ToHashSet();
        foreach (ParameterInfo parameter in layout)
        {
            string stem = parameter.Name[..parameter.Name.LastIndexOf('.')];
            string suffix = parameter.Name[(stem.Length + 1)..];
            if (!normalised.Contains(stem) || parameter.IsCount)
            {
                continue;
            }

            (double low, double high) = suffix switch
            {
                "weight" => (0.5, 1.5),
                "running_var" => (0.2, 2.0),
                _ => (-0.5, 0.5),
            };
            for (int i = 0; i < parameter.Length; i++)
            {
                values[parameter.Offset + i] = (float)(low + (high - low) * random.NextDouble());
            }
        }

        return ParameterSet.Create(layout, values);
    }

    /// <summary>Uniform values in [-1, 1): inputs whose maxima and signs vary everywhere.</summary>
    public static float[] Input(int length, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
