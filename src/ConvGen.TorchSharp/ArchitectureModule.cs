using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ConvGen.TorchSharp;

/// <summary>
/// A torch module built from a network's <see cref="Architecture"/>: one submodule per node under the node's name, so
/// its <c>state_dict()</c> keys and shapes are the network's layout (<c>conv1.weight</c>, ...). The forward pass walks
/// the nodes in order, each reading its named inputs: <c>(N, input volume) or (N, C, H, W) -> (N, outputs)</c>.
/// </summary>
public sealed class ArchitectureModule : Module<Tensor, Tensor>
{
    private readonly ImmutableArray<Node> nodes;
    private readonly long[] sampleShape;
    private readonly string outputName;

    private ArchitectureModule(Architecture architecture, ImmutableArray<Node> nodes)
        : base(architecture.Name)
    {
        this.nodes = nodes;
        sampleShape = [.. architecture.InputShape.Select(size => (long)size)];
        outputName = architecture.OutputName;
        foreach (Node node in nodes)
        {
            register_module(node.Name, node.Layer.Module);
        }
    }

    /// <summary>The module for <paramref name="architecture"/> with PyTorch's initial values; an error names a layer this version cannot run.</summary>
    public static Either<ConvGenError, ArchitectureModule> Create(Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return TorchRuntime.Ready().Bind(_ =>
        {
            var nodes = ImmutableArray.CreateBuilder<Node>(architecture.Nodes.Length);
            foreach (ArchitectureNode node in architecture.Nodes)
            {
                if (node.Inputs.Length != 1 || TorchLayer.Of(node.Layer) is not TorchLayer layer)
                {
                    foreach (Node built in nodes)
                    {
                        built.Layer.Module.Dispose();
                    }

                    return Left<ConvGenError, ArchitectureModule>(new ConvGenError(
                        $"{architecture.Name}: {node.Layer.Kind} '{node.Name}' reading {node.Inputs.Length} input(s) has no TorchSharp counterpart in this version of ConvGen.TorchSharp."));
                }

                nodes.Add(new Node(node.Name, node.Inputs, layer));
            }

            return Right<ConvGenError, ArchitectureModule>(new ArchitectureModule(architecture, nodes.MoveToImmutable()));
        });
    }

    /// <summary>Runs the network on a batch: <c>(N, ...)</c> with the architecture's sample volume per row, to <c>(N, outputs)</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var values = new Dictionary<string, Tensor>(nodes.Length + 1) { [Architecture.InputName] = input.reshape([input.shape[0], .. sampleShape]) };
        foreach (Node node in nodes)
        {
            Tensor value = values[node.Inputs[0]];
            if (node.Layer.Padding is long[] padding)
            {
                value = functional.pad(value, padding);
            }

            values[node.Name] = node.Layer.Module.call(value);
        }

        return values[outputName].flatten(1);
    }

    private sealed record Node(string Name, ImmutableArray<string> Inputs, TorchLayer Layer);
}
