using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using ConvGen.Shapes;

namespace ConvGen.Layers;

/// <summary>
/// Shape inference for a layer list at run time: the walk the generator makes at compile time, through the same
/// <see cref="ShapeRules"/>, reporting the same problems in the same words. Each message starts with the layer's index
/// in the list, then reads as the generator's diagnostic: <c>layers[7] Linear 'fc1' declares 3136 in-features but
/// receives 4096: 1x28x28 -> conv1 32x28x28 -> ...</c>. A layer's own rule lives with the layer
/// (<see cref="Layer.Infer"/>); what several share lives here.
/// </summary>
internal sealed class ShapeWalk
{
    // Buffers are float[] indexed by int: a layer's batch of activations must stay addressable (as the generator).
    private const long MaxValuesPerSample = int.MaxValue / 64;

    private readonly List<string> derivation = [];
    private readonly List<string> errors = [];
    private readonly List<string> warnings = [];
    private string prefix = string.Empty;

    private ShapeWalk()
    {
    }

    /// <summary>The shape flowing into the current layer.</summary>
    public ActivationShape Shape { get; private set; }

    /// <summary>The shapes so far, e.g. <c>1x8x8 -> conv1 16x8x8 -> flatten 1024</c>.</summary>
    public string Derivation => string.Join(" -> ", derivation);

    /// <summary>
    /// Names every layer (<c>conv1</c>, <c>fc2</c>, as PyTorch and the generator do, unless a layer has a
    /// <see cref="Layer.Name"/>) and infers its output shape from <paramref name="input"/>. Returns the layers with their
    /// shapes, or every error found; warnings come with either.
    /// </summary>
    public static (ImmutableArray<LayerPlan> Plans, ImmutableArray<string> Errors, ImmutableArray<string> Warnings) Run(
        string network, ActivationShape input, IReadOnlyList<Layer> layers)
    {
        var walk = new ShapeWalk { Shape = input };
        ImmutableArray<LayerPlan> plans = walk.Infer(network, layers);
        return (walk.errors.Count == 0 ? plans : [], [.. walk.errors], [.. walk.warnings]);
    }

    /// <summary>Reports an error on the current layer: <paramref name="text"/> follows <c>layers[i] Kind 'name'</c>.</summary>
    public void Error(string text) => errors.Add(prefix + text);

    /// <summary>Reports a warning on the current layer, worded as <see cref="Error"/>.</summary>
    public void Warning(string text) => warnings.Add(prefix + text);

    /// <summary>Whether the input has planes to slide a window over; reports an error when it is flat or a sequence.</summary>
    public bool RequirePlanes() => RequireKind(sequence: false);

    /// <summary>Whether the input is a <c>C x L</c> sequence, as Conv1d needs; reports an error when it is not.</summary>
    public bool RequireSequence() => RequireKind(sequence: true);

    /// <summary>Whether both axes of <paramref name="value"/> are at least <paramref name="minimum"/>; reports the first that is not.</summary>
    public bool RequireAtLeast(string what, AxisPair value, int minimum) =>
        RequireAtLeast(what, value.Height, minimum) && RequireAtLeast(what, value.Width, minimum);

    /// <summary>Whether <paramref name="value"/> is at least <paramref name="minimum"/>; reports an error when it is not.</summary>
    public bool RequireAtLeast(string what, int value, int minimum)
    {
        if (value >= minimum)
        {
            return true;
        }

        Error($"declares {what} {Text(value)}, but {what} must be at least {Text(minimum)}");
        return false;
    }

    // The generator's two rules: planes after Flatten, and sequence and image layers mixed.
    private bool RequireKind(bool sequence)
    {
        if (!Shape.IsFlat && Shape.IsSequence == sequence)
        {
            return true;
        }

        string received = Shape.IsFlat ? $"{Shape} flat features" : $"{Shape} {(Shape.IsSequence ? "(C x L)" : "(C x H x W)")}";
        Error(Shape.IsFlat && !sequence
            ? $"needs a C x H x W input but receives {Shape} flat features: {Derivation}"
            : $"needs a {(sequence ? "C x L" : "C x H x W")} input but receives {received}: {Derivation}");
        return false;
    }

    /// <summary>
    /// Both axes of a convolution or pooling window: the output size, the kernel-too-large error and the unused-rows
    /// warning. A square window on a square input fits, or fails, alike on both axes: it is checked once.
    /// </summary>
    public ActivationShape? Window(long channels, AxisPair kernel, AxisPair stride, AxisPair padding, AxisPair dilation, bool pooling, bool ceilMode)
    {
        if (Shape.IsSequence)
        {
            // A sequence's one axis is held as the width, and a Conv1d's window spans only that.
            long? length = SlidingWindow("length", "positions", Shape.Width, kernel.Width, stride.Width, padding.Width, dilation.Width, pooling, ceilMode);
            return length is null ? null : ActivationShape.Sequence(channels, length.Value);
        }

        bool square = Shape.Height == Shape.Width && kernel.IsSquare && stride.IsSquare && padding.IsSquare && dilation.IsSquare;
        long? height = SlidingWindow(square ? "height and width" : "height", square ? "rows and columns" : "rows", Shape.Height,
            kernel.Height, stride.Height, padding.Height, dilation.Height, pooling, ceilMode);
        long? width = square ? height : SlidingWindow("width", "columns", Shape.Width, kernel.Width, stride.Width, padding.Width, dilation.Width, pooling, ceilMode);
        return height is null || width is null ? null : ActivationShape.Planes(channels, height.Value, width.Value);
    }

    /// <summary>A number as the messages write it.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Big(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private long? SlidingWindow(string axis, string lines, long input, int kernel, int stride, int padding, int dilation, bool pooling, bool ceilMode)
    {
        bool ceil = pooling && ceilMode;
        long output = pooling
            ? ShapeRules.PoolingOutputSize(input, kernel, stride, padding, ceilMode: ceil)
            : ShapeRules.ConvolutionOutputSize(input, kernel, stride, padding, dilation);
        string kernelText = dilation == 1 ? Text(kernel) : $"{Text(kernel)} dilated by {Text(dilation)} to {Text(dilation * (kernel - 1L) + 1)}";
        if (output < 1)
        {
            Error($"declares kernel {kernelText} but receives a padded {axis} of {Text(input + 2L * padding)}, so its output {axis} would be {Text(output)}: {Derivation}");
            return null;
        }

        // Ceil mode exists to cover the rows floor mode would leave over.
        long unused = ceil ? 0 : ShapeRules.UnusedInputSize(input, kernel, stride, padding, dilation);
        if (unused > 0)
        {
            Warning($"with kernel {kernelText}, stride {Text(stride)} and padding {Text(padding)} leaves the last {Text(unused)} of its {Text(input)} input {lines} unused: {Derivation}");
        }

        return output;
    }

    private ImmutableArray<LayerPlan> Infer(string network, IReadOnlyList<Layer> layers)
    {
        if (Shape.Channels < 1 || Shape.Height < 1 || Shape.Width < 1)
        {
            errors.Add($"Network '{network}' declares input {Shape}: its channels, {(Shape.IsSequence ? "and length must both" : "height and width must all")} be at least 1");
            return [];
        }

        ActivationShape input = Shape;
        derivation.Add(Shape.ToString());
        prefix = $"Network '{network}' ";
        if (TooLarge(Shape))
        {
            return [];
        }

        string[] names = Names(layers);
        var plans = ImmutableArray.CreateBuilder<LayerPlan>(layers.Count);
        var count = new ParameterCount();
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            prefix = $"layers[{Text(i)}] {layer.Kind} '{names[i]}' ";
            ActivationShape? output = layer.Infer(this);
            if (output is null || TooLarge(output.Value))
            {
                return [];
            }

            var plan = new LayerPlan(i, names[i], layer, Shape, output.Value);
            count.Add(plan);
            plans.Add(plan);
            Shape = output.Value;
            derivation.Add($"{names[i]} {Shape}");
        }

        CheckMemory(network, input, count);
        return plans.ToImmutable();
    }

    // PyTorch-style names: kind and ordinal, a single Flatten plain "flatten"; a name given twice is an error.
    private string[] Names(IReadOnlyList<Layer> layers)
    {
        var counters = new Dictionary<string, int>();
        var firstUse = new Dictionary<string, int>();
        string[] names = new string[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            if (string.IsNullOrWhiteSpace(layer.Name))
            {
                int ordinal = counters[layer.NamePrefix] = counters.GetValueOrDefault(layer.NamePrefix) + 1;
                names[i] = layer is Flatten && ordinal == 1 ? layer.NamePrefix : layer.NamePrefix + Text(ordinal);
            }
            else
            {
                names[i] = layer.Name;
            }

            if (!firstUse.TryAdd(names[i], i))
            {
                errors.Add($"layers[{Text(i)}] {layer.Kind} '{names[i]}' has the name of layers[{Text(firstUse[names[i]])}]; names become checkpoint keys and must be unique");
            }
        }

        return names;
    }

    // In arbitrary precision: three int-sized factors can overflow a long.
    private bool TooLarge(ActivationShape candidate)
    {
        BigInteger values = new BigInteger(candidate.Channels) * candidate.Height * candidate.Width;
        if (values <= MaxValuesPerSample)
        {
            return false;
        }

        Error($"would hold {Big(values)} values per sample, more than the {Text(MaxValuesPerSample)} a float32 buffer can address: {Derivation}");
        return true;
    }

    private void CheckMemory(string network, ActivationShape input, ParameterCount count)
    {
        const long ParameterBytesLimit = 2L << 30, ActivationBytesLimit = 1L << 30;
        string largest = $"the largest layer is '{count.LargestLayer}' with {Big(count.LargestLayerParameters)}";
        if (count.Parameters > int.MaxValue)
        {
            errors.Add($"Network '{network}' has {Big(count.Parameters)} parameters, more than the {Text(int.MaxValue)} one float32 array can hold; {largest}");
        }
        else if (count.Parameters * 4 > ParameterBytesLimit)
        {
            warnings.Add($"Network '{network}' has {Big(count.Parameters)} parameters, {Big(count.Parameters * 4)} bytes as float32, more than the 2 GiB (2147483648 bytes) ConvGen considers sane; {largest}");
        }

        BigInteger perSample = count.Activations + input.Volume;
        if (perSample * 4 > ActivationBytesLimit)
        {
            warnings.Add($"Network '{network}' holds {Big(perSample)} activation values per sample, {Big(perSample * 4)} bytes as float32, more than the 1 GiB (1073741824 bytes) ConvGen considers sane for one sample");
        }
    }

    /// <summary>Running totals for the memory checks, in arbitrary precision like the size check.</summary>
    private sealed class ParameterCount
    {
        public BigInteger Parameters { get; private set; }

        public BigInteger Activations { get; private set; }

        public string LargestLayer { get; private set; } = string.Empty;

        public BigInteger LargestLayerParameters { get; private set; }

        public void Add(LayerPlan plan)
        {
            // The largest layer by learned values; the vector also holds the buffers.
            BigInteger layerParameters = Values(plan.Tensors.Where(tensor => tensor.Trainable));
            Parameters += Values(plan.Tensors);
            if (layerParameters > LargestLayerParameters)
            {
                LargestLayerParameters = layerParameters;
                LargestLayer = plan.Name;
            }

            if (plan.Layer is not Flatten)
            {
                Activations += plan.Output.Volume;
            }
        }

        private static BigInteger Values(IEnumerable<ParameterTensor> tensors) =>
            tensors.Aggregate(BigInteger.Zero, (sum, tensor) => sum + tensor.Shape.Aggregate(BigInteger.One, (product, size) => product * size));
    }
}
