namespace ConvGen.Training;

/// <summary>Running a trained network on new inputs.</summary>
public static partial class Inference
{
    /// <summary>
    /// The network's outputs for <paramref name="count"/> samples laid out NCHW in <paramref name="images"/>:
    /// <c>(count, C, H, W) -> (count, OutputSize)</c>, in evaluation mode. The samples go through in chunks whose
    /// workspace stays under 64 MiB, so memory beyond the returned outputs does not grow with <paramref name="count"/>.
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

        // A workspace also holds gradient buffers inference never touches; chunking bounds them with the rest.
        int chunk = RunMemory.InferenceBatch(layout, count), inputSize = layout.InputSize, outputSize = layout.OutputSize;
        NetworkWorkspace workspace = definition.CreateInferenceWorkspace(chunk);
        ReadOnlySpan<float> parameters = definition.ParametersOf(model).Values;
        float[] outputs = new float[(long)count * outputSize];
        for (int start = 0; start < count; start += chunk)
        {
            int samples = Math.Min(chunk, count - start);
            images.Slice(start * inputSize, samples * inputSize).CopyTo(workspace.Input);
            workspace.Forward(parameters, samples, training: false, seed: 0);
            workspace.Output[..(samples * outputSize)].CopyTo(outputs.AsSpan(start * outputSize));
        }

        return outputs;
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
