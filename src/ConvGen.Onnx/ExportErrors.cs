using System.Collections.Immutable;

namespace ConvGen.Onnx;

/// <summary>The wording of every error an export can return, each naming the network's layer, tensor or file.</summary>
internal static class ExportErrors
{
    /// <summary>A layer ONNX has no operator for (or this exporter does not know yet).</summary>
    public static ConvGenError NoOnnxForm(ArchitectureNode node) =>
        new($"{node.Name} ({node.Layer.GetType().Name}) has no ONNX form: the exporter knows no ONNX operators that compute it.");

    /// <summary>A layer that takes one value reads several, or none.</summary>
    public static ConvGenError InputCount(ArchitectureNode node, int expected) =>
        new($"{node.Name} ({node.Layer.Kind}) takes {expected} input{(expected == 1 ? "" : "s")} but reads {node.Inputs.Length}: {string.Join(", ", node.Inputs)}.");

    /// <summary>A node reads a value that no earlier node gives.</summary>
    public static ConvGenError UnknownInput(ArchitectureNode node, string input) =>
        new($"{node.Name} ({node.Layer.Kind}) reads '{input}', which is neither the network's input nor an earlier layer.");

    /// <summary>Two nodes share a name.</summary>
    public static ConvGenError DuplicateName(ArchitectureNode node) =>
        new($"Two layers are named '{node.Name}': every layer needs its own name.");

    /// <summary>A tensor a layer needs is not in the parameters.</summary>
    public static ConvGenError MissingParameter(ArchitectureNode node, string key, ParameterSet parameters) =>
        new($"{node.Name} ({node.Layer.Kind}) needs '{key}', which the parameters do not hold; they hold {string.Join(", ", parameters.Layout.Select(parameter => parameter.Name))}.");

    /// <summary>A tensor has another shape than its layer computes with.</summary>
    public static ConvGenError ParameterShape(ArchitectureNode node, ParameterInfo parameter, int[] expected) =>
        new($"{node.Name} ({node.Layer.Kind}) needs '{parameter.Name}' of shape ({string.Join(", ", expected)}) but the parameters hold {parameter.ShapeText}.");

    /// <summary>The parameters hold a learned tensor no layer reads: they belong to another network.</summary>
    public static ConvGenError UnreadParameter(Architecture architecture, ParameterInfo parameter) =>
        new($"The parameters hold '{parameter.Name}', which no layer of {architecture.Name} reads: they belong to another network.");

    /// <summary>An input or output shape the layer cannot take, e.g. a 1-D convolution over planes.</summary>
    public static ConvGenError Shape(ArchitectureNode node, string expected, ImmutableArray<int> actual) =>
        new($"{node.Name} ({node.Layer.Kind}) takes {expected} but receives {string.Join("x", actual)}.");

    /// <summary>A path that names no file.</summary>
    public static ConvGenError NoFilePath(string path) =>
        new($"'{path}' is not a file path: give the path of the .onnx file to write.");

    /// <summary>A path that names a folder.</summary>
    public static ConvGenError FolderPath(string path) =>
        new($"{path}: is a folder; give the path of the .onnx file to write.");
}
