using System.Collections.Immutable;
using System.Globalization;
using ConvGen.Kernels;
using ConvGen.Planning;
using ConvGen.Shapes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Layers;

/// <summary>
/// A network composed at run time from layer values, in order, as <c>torch.nn.Sequential</c>: what a <c>[Network]</c>
/// declaration gives at compile time, for when the layers are only known when the program runs (a search over
/// architectures, say). <c>Create</c> checks every shape with the generator's rules and reports what does not fit
/// in the generator's words. A Sequential is the architecture, immutable; <see cref="Initialize"/> gives a
/// <see cref="SequentialNetwork"/>, the model value that training, evaluation, inference and checkpoints take.
/// Built from the same layers as a generated network, it has the same layout, the same initial weights for a seed and
/// the same outputs, gradients and trained weights, bit for bit: it calls the same kernels with the same arguments.
/// </summary>
public sealed class Sequential
{
    private readonly PlannedNetwork plan;

    // The layer value of each planned node, in the plan's order: a merge's branches' layers, then the merge itself.
    private readonly ImmutableArray<Layer> nodes;

    private Sequential(ImmutableArray<Layer> layers, PlannedNetwork plan, ImmutableArray<string> warnings)
    {
        this.plan = plan;
        Layers = layers;
        nodes = [.. Nodes(layers)];
        Warnings = warnings;
        Layout = BuildLayout(plan);
        Architecture = Describe(plan, nodes);
        Definition = new NetworkDefinition<SequentialNetwork>(Layout, Architecture, CreateWorkspace, CreateInferenceWorkspace, FromParameters, network => network.Parameters);
    }

    /// <summary>The layers, in order.</summary>
    public ImmutableArray<Layer> Layers { get; }

    /// <summary>Shapes, layer summary and parameter layout, as a generated network's <c>Layout</c>.</summary>
    public NetworkLayout Layout { get; }

    /// <summary>The network as a graph of named layer values with resolved hyperparameters: what a generated network with the same layers gives as its <c>Architecture</c>.</summary>
    public Architecture Architecture { get; }

    /// <summary>What the generator would warn about for the same layers (rows a stride leaves unused, say).</summary>
    public ImmutableArray<string> Warnings { get; }

    /// <summary>The per-layer summary table, as a generated network's <c>Summary()</c>.</summary>
    public string Summary() => Layout.Summary;

    /// <summary>What the training, evaluation, inference and checkpoint code needs to run this network.</summary>
    internal NetworkDefinition<SequentialNetwork> Definition { get; }

    /// <summary>The planned graph the workspaces run.</summary>
    internal PlannedNetwork Plan => plan;

    /// <summary>
    /// Checks <paramref name="layers"/> on samples of <paramref name="input"/> (<c>(channels, height, width)</c>) and
    /// returns the network, or every error found, each naming the layer's index, kind and name and the sizes at fault:
    /// <c>layers[7] Linear 'fc1' declares 3136 in-features but receives 4096: 1x32x32 -> conv1 32x32x32 -> ... -> flatten 4096</c>.
    /// </summary>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="layers">The layers, in execution order.</param>
    /// <param name="name">The network's name in messages, summaries and checkpoint metadata.</param>
    public static Validation<ConvGenError, Sequential> Create((int Channels, int Height, int Width) input, IEnumerable<Layer> layers, string name = "Sequential") =>
        Create(new NetworkInput(input.Channels, input.Height, input.Width), layers, name);

    /// <summary>
    /// As the other overload, on <c>C x L</c> sequences (<c>(channels, length)</c>), the input of <see cref="Conv1d"/>
    /// layers, as a <c>[Network(InputChannels, InputLength)]</c> declaration takes.
    /// </summary>
    /// <param name="input">The shape of one input sequence.</param>
    /// <param name="layers">The layers, in execution order.</param>
    /// <param name="name">The network's name in messages, summaries and checkpoint metadata.</param>
    public static Validation<ConvGenError, Sequential> Create((int Channels, int Length) input, IEnumerable<Layer> layers, string name = "Sequential") =>
        Create(new NetworkInput(input.Channels, 0, 0, input.Length), layers, name);

    private static Validation<ConvGenError, Sequential> Create(NetworkInput input, IEnumerable<Layer> layers, string name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ImmutableArray<Layer> list = [.. layers];
        if (list.Any(layer => layer is null))
        {
            throw new ArgumentException($"layers[{list.IndexOf(null!)}] is null.", nameof(layers));
        }

        if (list.Any(layer => layer is Residual or Concat && Nodes([layer]).Any(inner => inner is null)))
        {
            throw new ArgumentException($"A branch of layers[{list.IndexOf(list.First(layer => Nodes([layer]).Any(inner => inner is null)))}] holds a null layer.", nameof(layers));
        }

        // A branch without layers is a block without layers, which the generator refuses too (CG0035).
        if (list.Select((layer, index) => (layer, index)).FirstOrDefault(pair => EmptyBranch(pair.layer)) is ({ } empty, int at))
        {
            return Fail<ConvGenError, Sequential>(new ConvGenError($"layers[{at.ToString(CultureInfo.InvariantCulture)}] {empty.Kind} has a branch without layers; give every branch at least one layer"));
        }

        // The generator's planner, over the same declarations a [Network] attribute list gives it.
        PlannedNetwork plan = NetworkPlanner.Plan(name, input, [.. list.Select(layer => layer.Spec)]);
        ImmutableArray<string> warnings = [.. plan.Diagnostics.Where(diagnostic => !diagnostic.IsError).Select(Message)];
        return plan.HasErrors
            ? Validation<ConvGenError, Sequential>.Fail(plan.Diagnostics.Where(diagnostic => diagnostic.IsError).Select(diagnostic => new ConvGenError(Message(diagnostic))).ToSeq())
            : Success<ConvGenError, Sequential>(new Sequential(list, plan, warnings));
    }

    // The generator's message, after the layer's place in the list: "layers[7] Linear 'fc1' declares ...".
    private static string Message(PlanDiagnostic diagnostic) =>
        diagnostic.Layer == PlanSite.NetworkLayer ? diagnostic.Message : $"layers[{diagnostic.Layer.ToString(CultureInfo.InvariantCulture)}] {diagnostic.Message}";

    /// <summary>
    /// PyTorch's default initialisation (kaiming-uniform, a = sqrt(5); biases U(-1/sqrt(fan_in), 1/sqrt(fan_in))), drawn
    /// from <paramref name="seed"/>, and BatchNorm2d's fixed start (weight 1, bias 0, running mean 0 and variance 1): the
    /// values the generated network with the same layers starts from.
    /// </summary>
    public SequentialNetwork Initialize(int seed)
    {
        float[] values = new float[Layout.ParameterCount];
        ulong randomSeed = unchecked((ulong)seed);
        ulong stream = 0;
        foreach (PlannedTensor tensor in plan.Tensors)
        {
            Span<float> slice = values.AsSpan((int)tensor.Offset, (int)tensor.Length);
            int fanIn = (int)tensor.Spec.FanIn;
            if (tensor.Spec.Constant is float constant)
            {
                // BatchNorm's values start fixed and draw nothing: the random tensors keep the generator's stream numbers.
                slice.Fill(constant);
            }
            else if (tensor.Spec.IsBias)
            {
                Initializers.DefaultBias(slice, fanIn, randomSeed, stream++);
            }
            else
            {
                Initializers.DefaultWeight(slice, fanIn, randomSeed, stream++);
            }
        }

        return new SequentialNetwork(this, ParameterSet.Create(Layout.Parameters, values));
    }

    /// <summary>This network holding <paramref name="parameters"/>, which must follow <see cref="Layout"/>.</summary>
    /// <exception cref="ArgumentException">The parameters' keys or shapes differ from <see cref="Layout"/>'s.</exception>
    public SequentialNetwork FromParameters(ParameterSet parameters) => new(this, parameters);

    /// <summary>Buffers for up to <paramref name="batchCapacity"/> samples, reused by every forward and backward pass.</summary>
    public NetworkWorkspace CreateWorkspace(int batchCapacity)
    {
        return Workspace(batchCapacity, forTraining: true);
    }

    /// <summary>Buffers for forward passes alone, for up to <paramref name="batchCapacity"/> samples: no gradient buffers, and <c>Backward</c> refuses.</summary>
    public NetworkWorkspace CreateInferenceWorkspace(int batchCapacity)
    {
        return Workspace(batchCapacity, forTraining: false);
    }

    private SequentialWorkspace Workspace(int batchCapacity, bool forTraining)
    {
        NetworkWorkspace.CheckCapacity(batchCapacity, plan.LargestActivation);
        return new SequentialWorkspace(plan, nodes, Layout, batchCapacity, forTraining);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Layout.NetworkName}: {string.Join("x", Layout.InputShape)} -> {Layout.OutputSize}, {plan.Layers.Count} layers, {Layout.ParameterCount} parameters";

    // The layout a generated network's Layout holds for the same plan: rows, tensors and the summary text.
    private static NetworkLayout BuildLayout(PlannedNetwork plan) => new(
        plan.Name,
        Sizes(plan.Input),
        (int)plan.Output.Volume,
        [.. plan.Layers.Select(layer => new LayerInfo(
            layer.Name, layer.Entry.PyTorchName, Sizes(layer.Output), (int)layer.ParameterCount, layer.MultiplyAdds,
            layer.ReceptiveField is { } field ? new ReceptiveField(field.Height, field.Width, field.JumpHeight, field.JumpWidth) : null, layer.ActivationBytes))],
        [.. plan.Tensors.Select(tensor => new ParameterInfo(
            tensor.Key, (int)tensor.Offset, [.. tensor.Spec.Shape.Select(size => (int)size)], tensor.Spec.Trainable, tensor.Spec.IsCount))],
        string.Join("\n", plan.SummaryLines));

    // Whether a merge, here or inside one of its branches, has a branch without layers.
    private static bool EmptyBranch(Layer layer) => layer switch
    {
        Residual residual => residual.Main.IsDefaultOrEmpty || residual.Main.Any(EmptyBranch) || (!residual.Shortcut.IsDefault && residual.Shortcut.Any(EmptyBranch)),
        Concat concat => concat.Branches.IsDefaultOrEmpty || concat.Branches.Any(branch => branch.IsDefaultOrEmpty || branch.Any(EmptyBranch)),
        _ => false,
    };

    // In the planner's order: a residual unit's main branch, its shortcut, then the sum; a concatenation's branches, then the join.
    private static IEnumerable<Layer> Nodes(IEnumerable<Layer> layers) => layers.SelectMany(layer => layer switch
    {
        Residual residual => Nodes(residual.Main.IsDefault ? [] : residual.Main).Concat(Nodes(residual.Shortcut.IsDefault ? [] : residual.Shortcut)).Append(residual),
        Concat concat => (concat.Branches.IsDefault ? [] : concat.Branches).SelectMany(branch => Nodes(branch.IsDefault ? [] : branch)).Append(concat),
        _ => [layer],
    });

    // Each node names the values its planned layer reads: the network's input or earlier nodes.
    private static Architecture Describe(PlannedNetwork plan, ImmutableArray<Layer> layers) => new(
        plan.Name,
        Sizes(plan.Input),
        [.. plan.Layers.Select(layer => new ArchitectureNode(
            layer.Name, layers[layer.Index].Resolved(layer), [.. layer.Inputs.Select(input => input == PlannedLayer.NetworkInput ? Architecture.InputName : plan.Layers[input].Name)],
            Sizes(layer.Input), Sizes(layer.Output)))]);

    // A layout's sizes: the planner refused any that would not fit an int.
    private static ImmutableArray<int> Sizes(ActivationShape shape) => [.. shape.Dimensions.Select(size => (int)size)];
}
