namespace ConvGen.Training;

/// <summary>Running a trained network on new inputs.</summary>
public static partial class Inference
{
    /// <summary>
    /// The network's outputs for <paramref name="count"/> samples laid out NCHW in <paramref name="images"/>:
    /// <c>(count, C, H, W) -> (count, OutputSize)</c>, in evaluation mode.
    /// </summary>
    /// <exception cref="ArgumentException">The input does not hold exactly <paramref name="count"/> samples of the declared shape.</exception>
    public static float[] Predict<TNet>(this TNet model, ReadOnlySpan<float> images, int count)
        where TNet : class, INetwork<TNet> =>
        Predict(NetworkDefinition.Of<TNet>(), model, images, count);

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes.</summary>
    internal static float[] Predict<TNet>(NetworkDefinition<TNet> definition, TNet model, ReadOnlySpan<float> images, int count)
        where TNet : class
    {
        NetworkLayout layout = definition.Layout;
        if (count < 1 || images.Length != (long)count * layout.InputSize)
        {
            throw new ArgumentException(
                $"{layout.NetworkName} takes {string.Join("x", layout.InputShape)} inputs ({layout.InputSize} values each): " +
                $"{count} samples need {(long)count * layout.InputSize} values but {images.Length} were given.",
                nameof(images));
        }

        NetworkWorkspace workspace = definition.CreateWorkspace(count);
        images.CopyTo(workspace.Input);
        workspace.Forward(definition.ParametersOf(model).Values, count, training: false, seed: 0);
        return workspace.Output.ToArray();
    }

    /// <summary>The index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
