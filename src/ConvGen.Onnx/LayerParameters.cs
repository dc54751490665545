using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Onnx;

/// <summary>
/// A network's <see cref="ParameterSet"/> as the graph's initializers: each layer asks for its tensors by
/// <c>state_dict()</c> key and shape, and gets their names in the graph, or an error naming the layer and the key.
/// </summary>
internal sealed class LayerParameters(OnnxGraph graph, ParameterSet parameters)
{
    private readonly System.Collections.Generic.HashSet<string> used = [];

    /// <summary>
    /// Adds <paramref name="node"/>'s tensors <c>{node}.{suffix}</c> in the order asked, each checked against its shape;
    /// a null request (an absent bias) is skipped.
    /// </summary>
    public Either<ConvGenError, ImmutableArray<string>> Add(ArchitectureNode node, params (string Suffix, int[] Shape)?[] tensors)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        foreach ((string suffix, int[] shape) in tensors.OfType<(string, int[])>())
        {
            string key = $"{node.Name}.{suffix}";
            ParameterInfo? info = parameters.Layout.FirstOrDefault(parameter => parameter.Name == key);
            if (info is null)
            {
                return Left<ConvGenError, ImmutableArray<string>>(ExportErrors.MissingParameter(node, key, parameters));
            }

            if (!info.Shape.SequenceEqual(shape))
            {
                return Left<ConvGenError, ImmutableArray<string>>(ExportErrors.ParameterShape(node, info, shape));
            }

            used.Add(key);
            names.Add(graph.AddInitializer(key, parameters[key], shape));
        }

        return names.ToImmutable();
    }

    /// <summary>The first learned tensor no layer read, which means the parameters belong to another network; null when all were read.</summary>
    public ParameterInfo? Unread() =>
        parameters.Layout.FirstOrDefault(parameter => !parameter.IsCount && !used.Contains(parameter.Name));
}
