using System.Buffers.Binary;
using System.Collections.Immutable;
using Google.Protobuf;
using Onnx;

namespace ConvGen.Onnx;

/// <summary>
/// An ONNX graph being written: nodes in execution order, constant tensors (initializers) and the declared shape of
/// every value, each sample's shape behind a dynamic batch dimension. Every name is unique and the content depends on
/// nothing but what is added, so the same network always gives the same bytes.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly List<NodeProto> nodes = [];
    private readonly List<TensorProto> initializers = [];
    private readonly List<ValueInfoProto> values = [];
    private readonly HashSet<string> valueNames = [];

    /// <summary>A value name not used yet: <paramref name="wanted"/>, or it with the first free <c>_2</c>, <c>_3</c>, ... suffix.</summary>
    public string FreshValueName(string wanted)
    {
        string name = wanted;
        for (int suffix = 2; valueNames.Contains(name); suffix++)
        {
            name = $"{wanted}_{suffix}";
        }

        valueNames.Add(name);
        return name;
    }

    /// <summary>Adds a node <paramref name="name"/> running <paramref name="operatorType"/> on <paramref name="inputs"/> into <paramref name="output"/>.</summary>
    public LanguageExt.Unit AddNode(string operatorType, string name, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = operatorType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        nodes.Add(node);
        return default;
    }

    /// <summary>Adds a float32 constant of shape <paramref name="dimensions"/> and returns its (unique) name.</summary>
    public string AddInitializer(string wanted, ReadOnlySpan<float> data, IEnumerable<int> dimensions)
    {
        // ONNX raw data is little-endian whatever the machine.
        byte[] bytes = new byte[data.Length * sizeof(float)];
        for (int i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
        }

        var tensor = new TensorProto
        {
            Name = FreshValueName(wanted),
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = UnsafeByteOperations.UnsafeWrap(bytes),
        };
        tensor.Dims.AddRange(dimensions.Select(size => (long)size));
        initializers.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Declares that value <paramref name="name"/> holds float32 samples of <paramref name="sampleShape"/>, batched.</summary>
    public void DeclareValue(string name, ImmutableArray<int> sampleShape) => values.Add(Batched(name, sampleShape));

    /// <summary>
    /// The graph reading <paramref name="input"/> and returning <paramref name="output"/>, whose shapes were declared;
    /// every other declared value goes to <c>value_info</c>.
    /// </summary>
    public GraphProto Build(string name, string documentation, string input, string output)
    {
        var graph = new GraphProto { Name = name, DocString = documentation };
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(initializers);
        graph.Input.Add(values.Single(value => value.Name == input));
        graph.Output.Add(values.Single(value => value.Name == output));
        graph.ValueInfo.AddRange(values.Where(value => value.Name != input && value.Name != output));
        return graph;
    }

    // (batch, ...sampleShape) with the batch a named, dynamic dimension.
    private static ValueInfoProto Batched(string name, ImmutableArray<int> sampleShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = OnnxExport.BatchDimension });
        shape.Dim.AddRange(sampleShape.Select(size => new TensorShapeProto.Types.Dimension { DimValue = size }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
