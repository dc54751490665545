using System.Collections.Immutable;
using ConvGen.Plotting;
using ConvGen.Signal;
using ConvGen.Training;

namespace ConvGen.Samples.Kernels;

/// <summary>
/// What the first layer of a trained <see cref="ExerciseNet"/> sees in one image: the image, then the output of each
/// of conv1's 16 kernels (before the ReLU), as labelled panels, each to be drawn scaled to its own range.
/// </summary>
public static class FeatureMaps
{
    /// <summary>Panels per row of the picture: the image and eight maps, then the other eight maps.</summary>
    public const int Columns = 9;

    /// <summary>The panels for one 28x28 <paramref name="image"/>, the first labelled <paramref name="imageLabel"/>.</summary>
    public static IReadOnlyList<LabelledPanel> Panels(ExerciseNet model, ReadOnlySpan<float> image, string imageLabel)
    {
        NetworkLayout firstLayer = ExerciseFirstLayer.Layout;
        ImmutableArray<ParameterInfo> lent = ImmutableArray.Create(model.Parameters.Layout, 0, firstLayer.Parameters.Length);
        // FromParameters checks the lent tensors' names, shapes and offsets against conv1 as declared alone.
        ExerciseFirstLayer conv1 = ExerciseFirstLayer.FromParameters(
            ParameterSet.Create(lent, model.Parameters.Values[..lent.Sum(parameter => parameter.Length)]));
        float[] maps = conv1.Predict(image, count: 1);

        int channels = firstLayer.Layers[0].OutputShape[0], height = firstLayer.Layers[0].OutputShape[1], width = firstLayer.Layers[0].OutputShape[2];
        var panels = new List<LabelledPanel> { new(imageLabel, Matrix.Create(ExerciseNet.InputHeight, ExerciseNet.InputWidth, image)) };
        for (int channel = 0; channel < channels; channel++)
        {
            panels.Add(new LabelledPanel($"map {channel + 1}", Matrix.Create(height, width, maps.AsSpan(channel * height * width, height * width))));
        }

        return panels;
    }
}
