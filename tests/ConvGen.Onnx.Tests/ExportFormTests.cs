using System.Reflection;
using ConvGen.Layers;
using ConvGen.Samples.Digits;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using MnistNet = ConvGen.Samples.Mnist.MnistNet;

namespace ConvGen.Onnx.Tests;

/// <summary>What the exported file states: names, opset, dynamic batch, metadata, node and tensor names, and that it is deterministic.</summary>
public sealed class ExportFormTests
{
    [Fact]
    public void OnnxRuntime_reads_named_input_and_output_with_a_dynamic_batch_and_ConvGen_metadata()
    {
        byte[] onnx = Expect.Right(OnnxExport.ToBytes(DigitsNet.Initialize(seed: 3)));
        using var session = new InferenceSession(onnx);

        NodeMetadata input = Assert.Single(session.InputMetadata, pair => pair.Key == "input").Value;
        Assert.Equal([-1, 1, 8, 8], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        NodeMetadata output = Assert.Single(session.OutputMetadata, pair => pair.Key == "output").Value;
        Assert.Equal([-1, 10], output.Dimensions);
        Assert.Equal("batch", output.SymbolicDimensions[0]);

        string version = typeof(Architecture).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.StartsWith("0.", version, StringComparison.Ordinal);
        Assert.Equal("ConvGen", session.ModelMetadata.ProducerName);
        Assert.Equal("DigitsNet", session.ModelMetadata.GraphName);
        Assert.Equal(version, session.ModelMetadata.CustomMetadataMap["convgen.version"]);
        Assert.Equal("DigitsNet", session.ModelMetadata.CustomMetadataMap["convgen.network"]);
    }

    [Fact]
    public void Model_imports_the_default_domain_at_opset_17()
    {
        ModelProto model = Expect.Right(OnnxExport.ToModel(DigitsNet.Initialize(seed: 3)));

        OperatorSetIdProto opset = Assert.Single(model.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));
        Assert.Equal(8, model.IrVersion);
    }

    [Fact]
    public void Nodes_are_named_after_the_layers_and_dropout_is_omitted()
    {
        GraphProto graph = Expect.Right(OnnxExport.ToModel(EveryLayerNet.Initialize(seed: 1))).Graph;

        Assert.Equal(
            [("conv1", "Conv"), ("relu1", "Relu"), ("pool1", "AveragePool"), ("conv2", "Conv"), ("relu2", "Relu"), ("pool2", "MaxPool"),
             ("flatten", "Flatten"), ("fc1", "Gemm"), ("relu3", "Relu"), ("fc2", "Gemm")],
            graph.Node.Select(node => (node.Name, node.OpType)));
        // fc2 reads relu3's output directly: the dropout between them left no value behind.
        Assert.Equal(["relu3", "fc2.weight", "fc2.bias"], graph.Node[^1].Input);
        Assert.Equal(["output"], graph.Node[^1].Output);
        Assert.All(graph.Node.Where(node => node.OpType == "Gemm"), gemm => Assert.Equal(1, Attribute(gemm, "transB").I));
        Assert.Equal(1, Attribute(graph.Node.Single(node => node.Name == "flatten"), "axis").I);
    }

    [Fact]
    public void Initializers_are_the_state_dict_keys_without_num_batches_tracked()
    {
        BatchNormNet model = BatchNormNet.Initialize(seed: 1);
        GraphProto graph = Expect.Right(OnnxExport.ToModel(model)).Graph;

        Assert.Equal(
            model.Parameters.Layout.Where(parameter => !parameter.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Select(parameter => parameter.Name).Order(),
            graph.Initializer.Select(tensor => tensor.Name).Order());
        TensorProto weight = graph.Initializer.Single(tensor => tensor.Name == "conv1.weight");
        Assert.Equal([4L, 2, 3, 3], weight.Dims);
    }

    [Fact]
    public void Batch_norm_is_in_inference_form_with_onnx_momentum()
    {
        GraphProto graph = Expect.Right(OnnxExport.ToModel(BatchNormNet.Initialize(seed: 1))).Graph;
        NodeProto norm = graph.Node.Single(node => node.Name == "bn2");

        Assert.Equal("BatchNormalization", norm.OpType);
        Assert.Equal(["conv2", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var"], norm.Input);
        Assert.Single(norm.Output);
        Assert.Equal(1e-3f, Attribute(norm, "epsilon").F);
        // PyTorch's momentum 0.3 weighs the new batch; ONNX's weighs the running value.
        Assert.Equal(0.7f, Attribute(norm, "momentum").F, 6);
        Assert.DoesNotContain(norm.Attribute, attribute => attribute.Name == "training_mode");
    }

    [Fact]
    public void Same_padding_with_an_even_kernel_writes_the_extra_zero_after()
    {
        Sequential network = Build((2, 6, 6), new Conv2d(3) { Kernel = (2, 4), PaddingMode = "same" });
        NodeProto conv = Expect.Right(OnnxExport.ToModel(network.Initialize(seed: 1))).Graph.Node.Single();

        // Height: 1 zero in all, after. Width: 3, one before and two after. ONNX orders pads as all befores, then all afters.
        Assert.Equal([0L, 1, 1, 2], Attribute(conv, "pads").Ints);
        Assert.DoesNotContain(conv.Attribute, attribute => attribute.Name == "auto_pad");
    }

    [Fact]
    public void Average_pooling_states_count_include_pad_and_ceil_mode()
    {
        Sequential network = Build((1, 6, 6),
            new AvgPool2d(3) { Stride = 2, Padding = 1, CeilMode = true, CountIncludePad = false }, new AvgPool2d(2) { Name = "counted" });
        GraphProto graph = Expect.Right(OnnxExport.ToModel(network.Initialize(seed: 1))).Graph;

        Assert.Equal((0L, 1L), (Attribute(graph.Node[0], "count_include_pad").I, Attribute(graph.Node[0], "ceil_mode").I));
        Assert.Equal((1L, 0L), (Attribute(graph.Node[1], "count_include_pad").I, Attribute(graph.Node[1], "ceil_mode").I));
        // The declared shape is PyTorch's: ceil((6 + 2 - 3) / 2) + 1 = 4 (the last window starts inside the input).
        ValueInfoProto pooled = graph.ValueInfo.Single(value => value.Name == "pool1");
        Assert.Equal([0L, 1, 4, 4], pooled.Type.TensorType.Shape.Dim.Select(dim => dim.DimValue));
    }

    [Fact]
    public void Adaptive_pooling_that_does_not_divide_is_two_MatMuls_with_averaging_matrices()
    {
        Sequential network = Build((1, 5, 4), new AdaptiveAvgPool2d((3, 2)));
        GraphProto graph = Expect.Right(OnnxExport.ToModel(network.Initialize(seed: 1))).Graph;

        Assert.Equal(["MatMul", "MatMul"], graph.Node.Select(node => node.OpType));
        Assert.Equal("pool1", graph.Node[^1].Name);
        // Rows: windows [0, 2), [1, 4), [3, 5) of 5 (PyTorch's floor and ceil); columns: [0, 2), [2, 4) of 4, transposed.
        Assert.Equal(
            [1 / 2f, 1 / 2f, 0, 0, 0, 0, 1 / 3f, 1 / 3f, 1 / 3f, 0, 0, 0, 0, 1 / 2f, 1 / 2f],
            Floats(graph.Initializer.Single(tensor => tensor.Name == "pool1.height_average")));
        Assert.Equal([1 / 2f, 0, 1 / 2f, 0, 0, 1 / 2f, 0, 1 / 2f], Floats(graph.Initializer.Single(tensor => tensor.Name == "pool1.width_average")));
    }

    [Fact]
    public void Adaptive_pooling_that_divides_is_an_average_pool()
    {
        Sequential network = Build((1, 6, 4), new AdaptiveAvgPool2d((3, 1)));
        NodeProto pool = Expect.Right(OnnxExport.ToModel(network.Initialize(seed: 1))).Graph.Node.Single();

        Assert.Equal("AveragePool", pool.OpType);
        Assert.Equal([2L, 4], Attribute(pool, "kernel_shape").Ints);
        Assert.Equal([2L, 4], Attribute(pool, "strides").Ints);
    }

    [Fact]
    public void Softmax_normalises_over_dim_1()
    {
        Sequential network = Build((3, 4, 4), new Softmax(), new LogSoftmax());
        GraphProto graph = Expect.Right(OnnxExport.ToModel(network.Initialize(seed: 1))).Graph;

        Assert.All(graph.Node, node => Assert.Equal(1, Attribute(node, "axis").I));
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes()
    {
        MnistNet first = MnistNet.Initialize(seed: 5);
        MnistNet rebuilt = MnistNet.FromParameters(ParameterSet.Create(first.Parameters.Layout, first.Parameters.Values));

        byte[] bytes = Expect.Right(OnnxExport.ToBytes(first));
        Assert.Equal(bytes, Expect.Right(OnnxExport.ToBytes(first)));
        Assert.Equal(bytes, Expect.Right(OnnxExport.ToBytes(rebuilt)));
        Assert.NotEqual(bytes, Expect.Right(OnnxExport.ToBytes(MnistNet.Initialize(seed: 6))));
    }

    [Fact]
    public void A_generated_network_and_its_Sequential_twin_export_the_same_bytes()
    {
        EveryOptionNet generated = EveryOptionNet.Initialize(seed: 2);
        Sequential twin = Build((2, 9, 8), nameof(EveryOptionNet),
            new Conv2d(4) { Kernel = (3, 2), PaddingMode = "same" }, new ReLU(),
            new Conv2d(4) { Kernel = 3, Dilation = 2, Groups = 2, Padding = (1, 0) }, new ReLU(), new MaxPool2d(2) { CeilMode = true },
            new Conv2d(6) { Kernel = 2, Stride = (1, 2), PaddingMode = "valid", Groups = 2 }, new AvgPool2d((2, 1)) { CeilMode = true },
            new AdaptiveAvgPool2d((2, 3)), new Flatten(), new Linear(36, 3));

        Assert.Equal(
            Expect.Right(OnnxExport.ToBytes(generated)),
            Expect.Right(OnnxExport.ToBytes(twin.FromParameters(generated.Parameters))));
    }

    [Fact]
    public void Saved_file_holds_the_exported_bytes()
    {
        using var folder = new TemporaryFolder();
        DigitsNet model = DigitsNet.Initialize(seed: 4);

        Expect.Right(OnnxExport.Save(model, folder.File("digits.onnx")));

        Assert.Equal(Expect.Right(OnnxExport.ToBytes(model)), File.ReadAllBytes(folder.File("digits.onnx")));
        Assert.Equal(["digits.onnx"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    private static AttributeProto Attribute(NodeProto node, string name) => node.Attribute.Single(attribute => attribute.Name == name);

    private static float[] Floats(TensorProto tensor) => [.. Enumerable.Range(0, tensor.RawData.Length / 4).Select(i => BitConverter.ToSingle(tensor.RawData.Span.Slice(i * 4, 4)))];

    private static Sequential Build((int, int, int) input, params Layer[] layers) => Build(input, "Network", layers);

    private static Sequential Build((int, int, int) input, string name, params Layer[] layers) =>
        Sequential.Create(input, layers, name).Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
}
