using System.Collections.Immutable;
using ConvGen.Layers;
using ConvGen.Samples.Digits;

namespace ConvGen.Onnx.Tests;

/// <summary>What a user can get wrong comes back as an error value naming the layer, tensor or file; nothing is half-written.</summary>
public sealed class ExportErrorTests
{
    [Fact]
    public void A_layer_with_no_onnx_form_is_named()
    {
        Sequential network = Build(new Conv2d(2) { Kernel = 1 }, new MysteryLayer(), new ReLU());

        ConvGenError error = Expect.Left(OnnxExport.ToModel(network.Initialize(seed: 1)));

        Assert.Equal("mystery1 (MysteryLayer) has no ONNX form: the exporter knows no ONNX operators that compute it.", error.Message);
    }

    [Fact]
    public void A_one_input_layer_reading_two_values_is_refused()
    {
        Architecture architecture = WithNode(node => node.Name == "relu1" ? node with { Inputs = ["input", "conv1"] } : node);

        ConvGenError error = Expect.Left(OnnxExport.ToModel(architecture, DigitsNet.Initialize(seed: 1).Parameters));

        Assert.Equal("relu1 (ReLU) takes 1 input but reads 2: input, conv1.", error.Message);
    }

    [Fact]
    public void A_node_reading_a_value_nothing_gives_is_refused()
    {
        Architecture architecture = WithNode(node => node.Name == "pool1" ? node with { Inputs = ["conv9"] } : node);

        ConvGenError error = Expect.Left(OnnxExport.ToModel(architecture, DigitsNet.Initialize(seed: 1).Parameters));

        Assert.Equal("pool1 (MaxPool2d) reads 'conv9', which is neither the network's input nor an earlier layer.", error.Message);
    }

    [Fact]
    public void Two_nodes_with_one_name_are_refused()
    {
        Architecture architecture = WithNode(node => node.Name == "relu2" ? node with { Name = "relu1", Inputs = ["conv2"] } : node);

        ConvGenError error = Expect.Left(OnnxExport.ToModel(architecture, DigitsNet.Initialize(seed: 1).Parameters));

        Assert.Equal("Two layers are named 'relu1': every layer needs its own name.", error.Message);
    }

    [Fact]
    public void Parameters_of_another_network_are_refused_by_the_first_tensor_that_differs()
    {
        // The digits net's first convolution has 16 filters; this one's has 4.
        Sequential other = Sequential.Create((1, 8, 8), [new Conv2d(4) { Kernel = 3 }], "Other")
            .Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));

        ConvGenError error = Expect.Left(OnnxExport.ToModel(DigitsNet.Architecture, other.Initialize(seed: 1).Parameters));

        Assert.Equal("conv1 (Conv2d) needs 'conv1.weight' of shape (16, 1, 3, 3) but the parameters hold (4, 1, 3, 3).", error.Message);
    }

    [Fact]
    public void A_missing_tensor_is_named_with_those_there_are()
    {
        Sequential unbiased = Sequential.Create((1, 8, 8), [new Conv2d(4) { Kernel = 3, Bias = false }], "Unbiased")
            .Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
        Sequential biased = Sequential.Create((1, 8, 8), [new Conv2d(4) { Kernel = 3 }], "Biased")
            .Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));

        ConvGenError error = Expect.Left(OnnxExport.ToModel(biased.Architecture, unbiased.Initialize(seed: 1).Parameters));

        Assert.Equal("conv1 (Conv2d) needs 'conv1.bias', which the parameters do not hold; they hold conv1.weight.", error.Message);
    }

    [Fact]
    public void A_tensor_no_layer_reads_is_refused()
    {
        Architecture architecture = DigitsNet.Architecture with { Nodes = DigitsNet.Architecture.Nodes[..^1] };

        ConvGenError error = Expect.Left(OnnxExport.ToModel(architecture, DigitsNet.Initialize(seed: 1).Parameters));

        Assert.Equal("The parameters hold 'fc2.weight', which no layer of DigitsNet reads: they belong to another network.", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("model\0.onnx")]
    public void A_path_that_names_no_file_is_refused(string path)
    {
        ConvGenError error = Expect.Left(OnnxExport.Save(DigitsNet.Initialize(seed: 1), path));

        Assert.Equal($"'{path}' is not a file path: give the path of the .onnx file to write.", error.Message);
    }

    [Fact]
    public void A_folder_is_refused_and_kept()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder.File("model.onnx"));

        ConvGenError error = Expect.Left(OnnxExport.Save(DigitsNet.Initialize(seed: 1), folder.File("model.onnx")));

        Assert.Equal($"{folder.File("model.onnx")}: is a folder; give the path of the .onnx file to write.", error.Message);
        Assert.True(Directory.Exists(folder.File("model.onnx")));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void An_unwritable_path_is_an_error_that_leaves_nothing_behind()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("plain-file"), "not a folder");
        string path = Path.Combine(folder.File("plain-file"), "model.onnx");

        ConvGenError error = Expect.Left(OnnxExport.Save(DigitsNet.Initialize(seed: 1), path));

        Assert.StartsWith($"{path}: cannot be written (", error.Message, StringComparison.Ordinal);
        Assert.Equal(["plain-file"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.Equal("not a folder", File.ReadAllText(folder.File("plain-file")));
    }

    [Fact]
    public void A_failed_export_leaves_the_previous_file_as_it_was()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.onnx");
        File.WriteAllBytes(path, [1, 2, 3]);
        Sequential network = Build(new MysteryLayer());

        Expect.Left(OnnxExport.Save(network.Initialize(seed: 1), path));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["model.onnx"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_save_replaces_the_previous_file_whole()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.onnx");
        File.WriteAllBytes(path, new byte[1 << 20]);

        Expect.Right(OnnxExport.Save(DigitsNet.Initialize(seed: 1), path));

        Assert.Equal(Expect.Right(OnnxExport.ToBytes(DigitsNet.Initialize(seed: 1))), File.ReadAllBytes(path));
    }

    private static Architecture WithNode(Func<ArchitectureNode, ArchitectureNode> change) =>
        DigitsNet.Architecture with { Nodes = [.. DigitsNet.Architecture.Nodes.Select(change)] };

    private static Sequential Build(params Layer[] layers) =>
        Sequential.Create((1, 4, 4), layers, "Network").Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
}
