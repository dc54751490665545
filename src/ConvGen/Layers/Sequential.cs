using System.Collections.Immutable;
using ConvGen.Kernels;
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
    private readonly ImmutableArray<LayerPlan> plans;
    private readonly ImmutableArray<ParameterTensor> tensors;
    private readonly long largestActivation;

    private Sequential(string name, ActivationShape input, ImmutableArray<Layer> layers, ImmutableArray<LayerPlan> walked, ImmutableArray<string> warnings)
    {
        Layers = layers;
        Warnings = warnings;
        var parameters = ImmutableArray.CreateBuilder<ParameterInfo>();
        var placedTensors = ImmutableArray.CreateBuilder<ParameterTensor>();
        var own = walked.Select(_ => new List<ParameterInfo>()).ToArray();
        int offset = 0, bufferStart = 0;
        // The learned tensors layer by layer, then the buffers (BatchNorm's running statistics), as the generator lays them out.
        foreach (bool trainable in new[] { true, false })
        {
            bufferStart = trainable ? 0 : offset;
            for (int i = 0; i < walked.Length; i++)
            {
                foreach (ParameterTensor tensor in walked[i].Tensors.Where(tensor => tensor.Trainable == trainable))
                {
                    var parameter = new ParameterInfo($"{walked[i].Name}.{tensor.Suffix}", offset, [.. tensor.Shape.Select(size => (int)size)], tensor.Trainable, tensor.IsCount);
                    offset += parameter.Length;
                    own[i].Add(parameter);
                    parameters.Add(parameter);
                    placedTensors.Add(tensor);
                }
            }
        }

        plans = LayerFusion.Fuse([.. walked.Select((plan, i) => plan with { Parameters = [.. own[i]], BufferStart = bufferStart })]);
        tensors = placedTensors.ToImmutable();
        largestActivation = plans.Select(plan => plan.Output.Volume).Append(input.Volume).Max();
        Layout = BuildLayout(name, input, parameters.ToImmutable());
        Architecture = Describe(name, input, walked);
        Definition = new NetworkDefinition<SequentialNetwork>(Layout, Architecture, CreateWorkspace, FromParameters, network => network.Parameters);
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

    /// <summary>
    /// Checks <paramref name="layers"/> on samples of <paramref name="input"/> (<c>(channels, height, width)</c>) and
    /// returns the network, or every error found, each naming the layer's index, kind and name and the sizes at fault:
    /// <c>layers[7] Linear 'fc1' declares 3136 in-features but receives 4096: 1x32x32 -> conv1 32x32x32 -> ... -> flatten 4096</c>.
    /// </summary>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="layers">The layers, in execution order.</param>
    /// <param name="name">The network's name in messages, summaries and checkpoint metadata.</param>
    public static Validation<ConvGenError, Sequential> Create((int Channels, int Height, int Width) input, IEnumerable<Layer> layers, string name = "Sequential") =>
        Create(ActivationShape.Planes(input.Channels, input.Height, input.Width), layers, name);

    /// <summary>
    /// As the other overload, on <c>C x L</c> sequences (<c>(channels, length)</c>), the input of <see cref="Conv1d"/>
    /// layers, as a <c>[Network(InputChannels, InputLength)]</c> declaration takes.
    /// </summary>
    /// <param name="input">The shape of one input sequence.</param>
    /// <param name="layers">The layers, in execution order.</param>
    /// <param name="name">The network's name in messages, summaries and checkpoint metadata.</param>
    public static Validation<ConvGenError, Sequential> Create((int Channels, int Length) input, IEnumerable<Layer> layers, string name = "Sequential") =>
        Create(ActivationShape.Sequence(input.Channels, input.Length), layers, name);

    private static Validation<ConvGenError, Sequential> Create(ActivationShape shape, IEnumerable<Layer> layers, string name)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ImmutableArray<Layer> list = [.. layers];
        if (list.Any(layer => layer is null))
        {
            throw new ArgumentException($"layers[{list.IndexOf(null!)}] is null.", nameof(layers));
        }

        (ImmutableArray<LayerPlan> walked, ImmutableArray<string> errors, ImmutableArray<string> warnings) = ShapeWalk.Run(name, shape, list);
        return errors.IsEmpty
            ? Success<ConvGenError, Sequential>(new Sequential(name, shape, list, walked, warnings))
            : Validation<ConvGenError, Sequential>.Fail(errors.Select(error => new ConvGenError(error)).ToSeq());
    }

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
        for (int i = 0; i < tensors.Length; i++)
        {
            ParameterInfo parameter = Layout.Parameters[i];
            Span<float> slice = values.AsSpan(parameter.Offset, parameter.Length);
            int fanIn = (int)tensors[i].FanIn;
            if (tensors[i].Constant is float constant)
            {
                // BatchNorm's values start fixed and draw nothing: the random tensors keep the generator's stream numbers.
                slice.Fill(constant);
            }
            else if (tensors[i].IsBias)
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
        NetworkWorkspace.CheckCapacity(batchCapacity, largestActivation);
        return new SequentialWorkspace(plans, Layout, batchCapacity, largestActivation);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Layout.NetworkName}: {string.Join("x", Layout.InputShape)} -> {Layout.OutputSize}, {plans.Length} layers, {Layout.ParameterCount} parameters";

    private NetworkLayout BuildLayout(string name, ActivationShape input, ImmutableArray<ParameterInfo> parameters)
    {
        var layers = ImmutableArray.CreateBuilder<LayerInfo>(plans.Length);
        ReceptiveField? field = new(1, 1, 1, 1);
        foreach (LayerPlan plan in plans)
        {
            field = plan.Output.IsFlat || field is null ? null : plan.Layer.Widen(field, plan);
            layers.Add(new LayerInfo(
                plan.Name, plan.Layer.Kind, Sizes(plan.Output), (int)plan.ParameterCount, plan.Layer.MultiplyAdds(plan), field,
                plan.OwnsOutput ? plan.Output.Volume * sizeof(float) : 0));
        }

        ImmutableArray<LayerInfo> infos = layers.MoveToImmutable();
        // The generator's own renderer, over the same rows: a Sequential prints what the generated constant holds.
        var layout = new NetworkLayout(name, Sizes(input), (int)(plans.IsEmpty ? input : plans[^1].Output).Volume, infos, parameters, Summary: "");
        return layout with { Summary = layout.RenderSummary() };
    }

    // A chain: each layer reads the one before it, the first the input.
    private static Architecture Describe(string name, ActivationShape input, ImmutableArray<LayerPlan> plans) => new(
        name,
        Sizes(input),
        [.. plans.Select((plan, i) => new ArchitectureNode(
            plan.Name, plan.Layer.Resolved(plan), [i == 0 ? Architecture.InputName : plans[i - 1].Name], Sizes(plan.Input), Sizes(plan.Output)))]);

    // A layout's sizes: the shape walk refused any that would not fit an int.
    private static ImmutableArray<int> Sizes(ActivationShape shape) => [.. shape.Dimensions.Select(size => (int)size)];
}
