using ConvGen.Layers;

namespace ConvGen.Training;

/// <summary>Inference with networks composed at run time, exactly as with generated ones.</summary>
public static partial class Inference
{
    /// <summary>
    /// The network's outputs for <paramref name="count"/> samples laid out NCHW in <paramref name="images"/>:
    /// <c>(count, C, H, W) -> (count, OutputSize)</c>, in evaluation mode, in chunks whose workspace stays under 64 MiB.
    /// </summary>
    /// <exception cref="ArgumentException">The input does not hold exactly <paramref name="count"/> samples of the declared shape.</exception>
    public static float[] Predict(this SequentialNetwork model, ReadOnlySpan<float> images, int count) =>
        Predict(model.Sequential.Definition, model, images, count);
}
