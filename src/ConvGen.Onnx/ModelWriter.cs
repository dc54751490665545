using System.Collections.Immutable;
using System.Reflection;
using LanguageExt;
using Onnx;
using static LanguageExt.Prelude;

namespace ConvGen.Onnx;

/// <summary>
/// Walks an <see cref="Architecture"/> in order and writes each node's operators, reading every value by name: a node
/// with several inputs (a residual add, a channel concatenation) fits the same walk. Nodes that pass their input
/// through at inference (dropout) write nothing; their readers read their input instead.
/// </summary>
internal static class ModelWriter
{
    /// <summary>ONNX's IR version 8 is the one opset 17 came with.</summary>
    private const long IrVersion = 8;

    /// <summary>ConvGen's version, e.g. <c>0.1.0+d8161e3...</c>, as its assembly states it.</summary>
    public static string ConvGenVersion { get; } =
        typeof(Architecture).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Architecture).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The model computing <paramref name="architecture"/> with <paramref name="parameters"/>, or why there is none.</summary>
    public static Either<ConvGenError, ModelProto> Write(Architecture architecture, ParameterSet parameters)
    {
        var graph = new OnnxGraph();
        var tensors = new LayerParameters(graph, parameters);
        string input = graph.FreshValueName(OnnxExport.InputName), output = graph.FreshValueName(OnnxExport.OutputName);
        graph.DeclareValue(input, architecture.InputShape);
        var values = new Dictionary<string, string> { [Architecture.InputName] = input };

        for (int i = 0; i < architecture.Nodes.Length; i++)
        {
            ArchitectureNode node = architecture.Nodes[i];
            bool last = i == architecture.Nodes.Length - 1;
            if (values.ContainsKey(node.Name))
            {
                return Left<ConvGenError, ModelProto>(ExportErrors.DuplicateName(node));
            }

            var inputs = ImmutableArray.CreateBuilder<string>(node.Inputs.Length);
            foreach (string read in node.Inputs)
            {
                if (!values.TryGetValue(read, out string? value))
                {
                    return Left<ConvGenError, ModelProto>(ExportErrors.UnknownInput(node, read));
                }

                inputs.Add(value);
            }

            if (LayerNodes.PassesThrough(node.Layer) && !last && inputs.Count == 1)
            {
                values[node.Name] = inputs[0];
                continue;
            }

            string result = last ? output : graph.FreshValueName(node.Name);
            Either<ConvGenError, Unit> added = LayerNodes.Add(graph, tensors, node, inputs.MoveToImmutable(), result);
            if (added.IsLeft)
            {
                return added.Map(_ => new ModelProto());
            }

            graph.DeclareValue(result, node.OutputShape);
            values[node.Name] = result;
        }

        if (architecture.Nodes.IsEmpty)
        {
            graph.AddNode("Identity", "identity", [input], output);
            graph.DeclareValue(output, architecture.InputShape);
        }

        if (tensors.Unread() is ParameterInfo unread)
        {
            return Left<ConvGenError, ModelProto>(ExportErrors.UnreadParameter(architecture, unread));
        }

        return Model(architecture, graph.Build(architecture.Name, architecture.ToString(), input, output));
    }

    private static ModelProto Model(Architecture architecture, GraphProto graph)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ConvGen",
            ProducerVersion = ConvGenVersion,
            DocString = $"{architecture.Name}, exported by ConvGen {ConvGenVersion}",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExport.Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxExport.VersionKey, Value = ConvGenVersion });
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxExport.NetworkKey, Value = architecture.Name });
        return model;
    }
}
