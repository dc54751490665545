using ConvGen.Data;
using ConvGen.Layers;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp.Tests;

/// <summary>
/// Every layer kind and option run by libtorch against the managed engine (itself checked against PyTorch fixtures):
/// outputs, parameter gradients and BatchNorm's updated buffers agree within 1e-5 (relative to values above 1).
/// </summary>
public sealed class LayerParityTests
{
    private const double Tolerance = 1e-5;
    private const int Batch = 5;

    [Theory]
    [MemberData(nameof(Networks.ParityNames), MemberType = typeof(Networks))]
    public void Outputs_and_gradients_match_the_managed_engine(string name)
    {
        Sequential network = Networks.Named(name);
        bool dropout = network.Architecture.Nodes.Any(node => node.Layer is Dropout);
        // Dropout masks come from different random streams, so networks with dropout compare in evaluation mode only.
        if (!dropout)
        {
            Compare(network, training: true, seed: 3);
        }

        Compare(network, training: false, seed: 4);
    }

    [Theory]
    [MemberData(nameof(Networks.ParityNames), MemberType = typeof(Networks))]
    public void State_dict_keys_and_shapes_are_the_layout(string name)
    {
        Sequential network = Networks.Named(name);
        using ArchitectureModule module = Module(network);
        Dictionary<string, Tensor> state = module.state_dict();
        Assert.Equal(network.Layout.Parameters.Select(p => p.Name).Order(), state.Keys.Order());
        foreach (ParameterInfo parameter in network.Layout.Parameters)
        {
            Assert.Equal(parameter.Shape.Select(size => (long)size), state[parameter.Name].shape);
        }
    }

    [Theory]
    [MemberData(nameof(Networks.ParityNames), MemberType = typeof(Networks))]
    public void Parameters_round_trip_through_torch_exactly(string name)
    {
        Sequential network = Networks.Named(name);
        // Values that are not the initial ones anywhere: every value, running statistics and batch counts included.
        var random = new Random(11);
        float[] values = Batches.Normal(network.Layout.ParameterCount, random);
        foreach (ParameterInfo count in network.Layout.Parameters.Where(p => p.IsCount))
        {
            values[count.Offset] = 12345;
        }

        foreach (ParameterInfo variance in network.Layout.Parameters.Where(p => p.Name.EndsWith("running_var", StringComparison.Ordinal)))
        {
            values.AsSpan(variance.Offset, variance.Length).Clear();
            values.AsSpan(variance.Offset, variance.Length).Fill(0.5f);
        }

        ParameterSet parameters = ParameterSet.Create(network.Layout.Parameters, values);
        using ArchitectureModule module = Module(network);
        TorchParameters.Load(module, parameters);
        ParameterSet back = TorchParameters.Read(module, network.Layout.Parameters);
        Assert.Equal(values, back.Values.ToArray());
    }

    private static void Compare(Sequential network, bool training, int seed)
    {
        NetworkLayout layout = network.Layout;
        SequentialNetwork model = network.Initialize(seed);
        Dataset batch = Batches.Random(layout, Batch, seed);
        float[] upstream = Batches.Normal(Batch * layout.OutputSize, new Random(seed + 100));

        // Managed: forward, then the given output gradient backward.
        NetworkWorkspace workspace = network.Definition.CreateWorkspace(Batch);
        batch.Images.CopyTo(workspace.Input);
        workspace.Forward(model.Parameters.Values, Batch, training, seed: 0);
        float[] expectedOutput = workspace.Output[..(Batch * layout.OutputSize)].ToArray();
        upstream.CopyTo(workspace.OutputGradient);
        float[] expectedGradients = new float[layout.ParameterCount];
        workspace.Backward(model.Parameters.Values, Batch, expectedGradients);
        float[] expectedBuffers = workspace.UpdatedBuffers.ToArray();

        // Torch: the same values, d(sum(output * upstream)) by autograd.
        using var scope = NewDisposeScope();
        using ArchitectureModule module = Module(network);
        TorchParameters.Load(module, model.Parameters);
        module.train(training);
        Tensor output = module.call(tensor(batch.Images.ToArray(), [Batch, layout.InputSize]));
        (output * tensor(upstream, [Batch, layout.OutputSize])).sum().backward();
        string mode = training ? "training" : "evaluation";
        Close.Equal(expectedOutput, output.detach().data<float>().ToArray(), Tolerance, $"{network.Layout.NetworkName} {mode} output");

        Dictionary<string, Tensor> parameters = module.named_parameters().ToDictionary(pair => pair.name, pair => (Tensor)pair.parameter);
        foreach (ParameterInfo info in layout.Parameters.Where(p => p.Trainable))
        {
            Close.Equal(expectedGradients.AsSpan(info.Offset, info.Length), parameters[info.Name].grad!.data<float>().ToArray(), Tolerance, $"{layout.NetworkName} {mode} d{info.Name}");
        }

        // BatchNorm's running statistics and batch count after the pass (unchanged in evaluation mode).
        float[] buffers = TorchParameters.Read(module, layout.Parameters).Values[layout.TrainableCount..].ToArray();
        Close.Equal(expectedBuffers, buffers, Tolerance, $"{layout.NetworkName} {mode} buffers");
    }

    private static ArchitectureModule Module(Sequential network) =>
        ArchitectureModule.Create(network.Architecture).Match(Right: module => module, Left: error => throw new InvalidOperationException(error.Message));
}
