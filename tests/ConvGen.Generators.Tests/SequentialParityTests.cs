extern alias runtime;

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using runtime::ConvGen;
using runtime::ConvGen.Layers;
using LanguageExt;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Tests;

/// <summary>
/// A network composed at run time (<see cref="Sequential"/>) and the same network declared with attributes go through
/// one planner, so they get one verdict by construction; what this checks is the two front ends that feed it — the
/// parser reading attributes and the layer values' declarations — give it the same layers: the same errors and warnings
/// in the same words (the runtime adds the layer's index in front), and, when the layers fit, the same summary table and
/// parameter layout. Hundreds of seeded random layer lists, many of them wrong on purpose, are put to both.
/// </summary>
public sealed partial class SequentialParityTests
{
    private const int NetworksPerSeed = 250;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomLayerListsGetTheGeneratorsVerdict(int seed)
    {
        var random = new Random(seed);
        int fitting = 0, refused = 0, warned = 0;
        for (int i = 0; i < NetworksPerSeed; i++)
        {
            // One list in five on C x L sequences.
            Input input = random.Next(5) == 0
                ? new Input(1 + random.Next(3), 1, 4 + random.Next(27), IsSequence: true)
                : new Input(1 + random.Next(3), 2 + random.Next(11), 2 + random.Next(11), IsSequence: false);
            Layer[] layers = RandomLayers(random, input);
            string source = Declaration(input, layers);
            GeneratorRun run = GeneratorDriverHelper.Run(source);
            Assert.True(run.Result.Exception is null, $"the generator threw on:\n{source}");

            var verdict = input.Create(layers, "Net");
            string[] runtimeErrors = verdict.Match(Succ: _ => [], Fail: errors => errors.Select(error => error.Message).ToArray());
            string[] runtimeWarnings = verdict.Match(Succ: network => network.Warnings.ToArray(), Fail: _ => []);
            string[] generatorErrors = Messages(run, DiagnosticSeverity.Error);
            string context = $"network {i} of seed {seed}:\n{source}";

            Assert.True(generatorErrors.SequenceEqual(runtimeErrors.Select(message => AsGeneratorWords(message, layers))),
                $"{context}\ngenerator: {string.Join("\n  ", generatorErrors)}\nruntime:   {string.Join("\n  ", runtimeErrors)}");
            if (runtimeErrors.Length > 0)
            {
                refused++;
                continue;
            }

            Assert.True(Messages(run, DiagnosticSeverity.Warning).SequenceEqual(runtimeWarnings.Select(message => AsGeneratorWords(message, layers))),
                $"{context}\ngenerator: {string.Join("\n  ", Messages(run, DiagnosticSeverity.Warning))}\nruntime:   {string.Join("\n  ", runtimeWarnings)}");
            Sequential network = verdict.Match(Succ: network => network, Fail: _ => throw new InvalidOperationException());
            string generated = run.GeneratedText("Net.g.cs");
            Assert.True(GeneratedSummary(generated) == network.Summary(), $"{context}\ngenerated:\n{GeneratedSummary(generated)}\nruntime:\n{network.Summary()}");
            Assert.Equal(GeneratedParameters(generated), network.Layout.Parameters.Select(parameter =>
                $"{parameter.Name} [{string.Join(", ", parameter.Shape)}]{(parameter.Trainable ? "" : ", Trainable: false")}{(parameter.IsCount ? ", IsCount: true" : "")}"));
            fitting++;
            warned += runtimeWarnings.Length > 0 ? 1 : 0;
        }

        // Both verdicts must come up often, or the comparison proves little about either. (A window narrower than its
        // stride no longer warns, CG0007, so fewer lists warn than fail.)
        Assert.True(fitting > NetworksPerSeed / 4 && refused > NetworksPerSeed / 4 && warned >= NetworksPerSeed / 32, $"{fitting} fitted, {refused} refused, {warned} warned");
    }

    // The generator's diagnostics of one severity, as text, in the order reported.
    private static string[] Messages(GeneratorRun run, DiagnosticSeverity severity) =>
        run.GeneratorDiagnostics.Where(diagnostic => diagnostic.Severity == severity).Select(diagnostic => diagnostic.GetMessage(CultureInfo.InvariantCulture)).ToArray();

    // A runtime message is the generator's, after "layers[i] " (checked to name that layer's kind, or its name twice).
    private static string AsGeneratorWords(string message, Layer[] layers)
    {
        Match indexed = LayerIndex().Match(message);
        if (!indexed.Success)
        {
            return message;
        }

        Layer layer = layers[int.Parse(indexed.Groups["index"].Value, CultureInfo.InvariantCulture)];
        Assert.True(indexed.Groups["kind"].Value == layer.Kind || indexed.Groups["kind"].Value == "Layer", $"'{message}' names the wrong kind for {layer}");
        return message[(indexed.Groups["index"].Length + "layers[] ".Length)..];
    }

    private static string GeneratedSummary(string generated)
    {
        string[] lines = generated.Split('\n');
        int start = Array.IndexOf(lines, "/// <code>") + 1, end = Array.IndexOf(lines, "/// </code>");
        return WebUtility.HtmlDecode(string.Join("\n", lines[start..end].Select(line => line.Length > 4 ? line[4..] : string.Empty)));
    }

    private static string[] GeneratedParameters(string generated) =>
        ParameterLine().Matches(generated).Select(match => $"{match.Groups["name"].Value} [{match.Groups["shape"].Value}]{match.Groups["flags"].Value}").ToArray();

    // Planes, then a head of Flatten and Linear layers (each Linear sized as the layers before it produce, now and then
    // off by a few), and in one list of three some layer anywhere: the mistakes and their knock-on effects.
    private static Layer[] RandomLayers(Random random, Input input)
    {
        var layers = new List<Layer>();
        for (int i = random.Next(5); i > 0; i--)
        {
            // A sequence list takes an image layer now and then, which the rules must refuse.
            layers.Add(input.IsSequence && random.Next(6) != 0 ? RandomSequenceLayer(random) : random.Next(10) switch
            {
                < 4 => RandomConvolution(random),
                4 => RandomPooling(random),
                5 => new AdaptiveAvgPool2d(RandomPair(random, random.Next(12) == 0 ? 0 : 1, 3)),
                6 => RandomActivation(random),
                7 => RandomBatchNorm(random),
                8 => new GlobalAvgPool2d(),
                _ => new Dropout(random.Next(6) == 0 ? new[] { 1, -0.1 }[random.Next(2)] : new[] { 0, 0.25, 0.5 }[random.Next(3)]),
            });
        }

        if (random.Next(4) != 0)
        {
            for (int i = random.Next(3); i > 0; i--)
            {
                layers.Add(RandomLinear(random, input, layers));
                layers.Add(RandomActivation(random));
            }

            layers.Add(RandomLinear(random, input, layers));
        }

        if (random.Next(3) == 0)
        {
            Layer[] anything =
            [
                RandomConvolution(random), RandomPooling(random), new Flatten(), new Linear(1 + random.Next(40), 3), new Dropout(random.NextDouble() * 1.2),
                RandomBatchNorm(random), new GlobalAvgPool2d(), RandomSequenceConvolution(random),
            ];
            layers.Insert(random.Next(layers.Count + 1), anything[random.Next(anything.Length)]);
        }

        if (random.Next(15) == 0 && layers.Count > 0)
        {
            int at = random.Next(layers.Count);
            layers[at] = layers[at] with { Name = random.Next(2) == 0 ? "stem" : "head" };
        }

        return [.. layers];
    }

    private static Pool2d RandomPooling(Random random)
    {
        AxisPair kernel = RandomPair(random, 1, 3);
        AxisPair? stride = random.Next(2) == 0 ? RandomPair(random, 1, 3) : null;
        AxisPair padding = random.Next(4) == 0 ? RandomPair(random, 0, 2) : 0;
        bool ceil = random.Next(3) == 0;
        return random.Next(2) == 0
            ? new MaxPool2d(kernel) { Stride = stride, Padding = padding, CeilMode = ceil }
            : new AvgPool2d(kernel) { Stride = stride, Padding = padding, CeilMode = ceil, CountIncludePad = random.Next(3) != 0 };
    }

    private static Layer RandomSequenceLayer(Random random) => random.Next(4) switch
    {
        < 2 => RandomSequenceConvolution(random),
        2 => RandomActivation(random),
        _ => new Dropout(0.25),
    };

    private static Conv1d RandomSequenceConvolution(Random random)
    {
        string? mode = random.Next(5) switch { 0 => "same", 1 => "valid", _ => null };
        return new Conv1d(random.Next(30) == 0 ? 0 : 2 + random.Next(3))
        {
            Kernel = random.Next(30) == 0 ? 0 : 1 + random.Next(5),
            Stride = random.Next(3) == 0 ? 1 + random.Next(3) : 1,
            Padding = mode is null ? (random.Next(3) == 0 ? random.Next(3) : 0) : (random.Next(8) == 0 ? 1 : 0),
            PaddingMode = mode,
            Dilation = random.Next(5) == 0 ? 2 : 1,
            Groups = random.Next(8) == 0 ? 2 : 1,
            InChannels = random.Next(10) == 0 ? 1 + random.Next(3) : null,
            Bias = random.Next(4) != 0,
        };
    }

    // Features declared now and then (right or wrong, or below one), and now and then an eps or momentum out of range.
    private static BatchNorm2d RandomBatchNorm(Random random) => new(random.Next(6) == 0 ? random.Next(4) : null)
    {
        Eps = random.Next(20) == 0 ? 0 : random.Next(4) == 0 ? 1e-3 : 1e-5,
        Momentum = random.Next(20) == 0 ? 1.5 : random.Next(4) == 0 ? 0.3 : 0.1,
    };

    private static Layer RandomActivation(Random random) =>
        new[] { (Layer)new ReLU(), new Sigmoid(), new Tanh(), new LeakyReLU { NegativeSlope = random.Next(2) == 0 ? 0.01 : -0.2 }, new Softmax(), new LogSoftmax() }[random.Next(6)];

    private static Conv2d RandomConvolution(Random random)
    {
        string? mode = random.Next(5) switch { 0 => "same", 1 => "valid", _ => null };
        return new Conv2d(random.Next(30) == 0 ? 0 : 2 + random.Next(3))
        {
            Kernel = RandomPair(random, random.Next(30) == 0 ? 0 : 1, 5),
            Stride = random.Next(3) == 0 ? RandomPair(random, 1, 3) : 1,
            // With a padding mode only a square padding is written, so both name the same argument.
            Padding = mode is null ? (random.Next(3) == 0 ? RandomPair(random, 0, 2) : 0) : (random.Next(8) == 0 ? 1 : 0),
            PaddingMode = mode,
            Dilation = random.Next(5) == 0 ? RandomPair(random, 1, 2) : 1,
            Groups = random.Next(8) == 0 ? 2 : 1,
            InChannels = random.Next(10) == 0 ? 1 + random.Next(3) : null,
            Bias = random.Next(4) != 0,
        };
    }

    // In-features as the layers so far produce them (after a Flatten, usually), or off by a few now and then.
    private static Layer RandomLinear(Random random, Input input, List<Layer> layers)
    {
        if (random.Next(8) != 0 && !layers.Any(layer => layer is Flatten))
        {
            layers.Add(new Flatten());
        }

        int features = input.Create(layers, "Net").Match(Succ: network => network.Layout.OutputSize, Fail: _ => 1 + random.Next(50));
        return new Linear(random.Next(8) == 0 ? features + 1 + random.Next(3) : features, 1 + random.Next(6)) { Bias = random.Next(4) != 0 };
    }

    private static AxisPair RandomPair(Random random, int minimum, int maximum) =>
        random.Next(3) == 0 ? (random.Next(minimum, maximum + 1), random.Next(minimum, maximum + 1)) : random.Next(minimum, maximum + 1);

    // The same network as a [Network] declaration; only what differs from the attributes' defaults is written.
    private static string Declaration(Input input, Layer[] layers)
    {
        var text = new StringBuilder("using ConvGen;\n");
        text.Append(input.IsSequence
            ? string.Create(CultureInfo.InvariantCulture, $"[Network(InputChannels = {input.Channels}, InputLength = {input.Width})]\n")
            : string.Create(CultureInfo.InvariantCulture, $"[Network(InputChannels = {input.Channels}, InputHeight = {input.Height}, InputWidth = {input.Width})]\n"));
        foreach (Layer layer in layers)
        {
            text.Append('[').Append(Attribute(layer)).Append("]\n");
        }

        return text.Append("public sealed partial record Net;\n").ToString();
    }

    private static string Attribute(Layer layer)
    {
        var arguments = new List<string>();
        void Pair(string name, AxisPair value, AxisPair fallback)
        {
            if (value != fallback)
            {
                arguments.AddRange(value.IsSquare ? [$"{name} = {value.Height}"] : [$"{name}Height = {value.Height}", $"{name}Width = {value.Width}"]);
            }
        }

        string head;
        switch (layer)
        {
            case Conv2d convolution:
                head = $"Conv2d({convolution.OutChannels}";
                Pair("Kernel", convolution.Kernel, 1);
                Pair("Stride", convolution.Stride, 1);
                Pair("Padding", convolution.Padding, 0);
                Pair("Dilation", convolution.Dilation, 1);
                arguments.AddRange(convolution.PaddingMode is { } mode ? [$"PaddingMode = \"{mode}\""] : []);
                arguments.AddRange(convolution.Groups != 1 ? [$"Groups = {convolution.Groups}"] : []);
                arguments.AddRange(convolution.InChannels is { } inChannels ? [$"InChannels = {inChannels}"] : []);
                arguments.AddRange(convolution.Bias ? [] : ["Bias = false"]);
                break;
            case Conv1d convolution:
                head = $"Conv1d({convolution.OutChannels}";
                arguments.AddRange(convolution.Kernel != 1 ? [$"Kernel = {convolution.Kernel}"] : []);
                arguments.AddRange(convolution.Stride != 1 ? [$"Stride = {convolution.Stride}"] : []);
                arguments.AddRange(convolution.Padding != 0 ? [$"Padding = {convolution.Padding}"] : []);
                arguments.AddRange(convolution.Dilation != 1 ? [$"Dilation = {convolution.Dilation}"] : []);
                arguments.AddRange(convolution.PaddingMode is { } sequenceMode ? [$"PaddingMode = \"{sequenceMode}\""] : []);
                arguments.AddRange(convolution.Groups != 1 ? [$"Groups = {convolution.Groups}"] : []);
                arguments.AddRange(convolution.InChannels is { } sequenceInChannels ? [$"InChannels = {sequenceInChannels}"] : []);
                arguments.AddRange(convolution.Bias ? [] : ["Bias = false"]);
                break;
            case Pool2d pooling:
                head = pooling.Kernel.IsSquare ? $"{layer.Kind}({pooling.Kernel.Height}" : $"{layer.Kind}(KernelHeight = {pooling.Kernel.Height}, KernelWidth = {pooling.Kernel.Width}";
                if (pooling.Stride is { } stride)
                {
                    arguments.AddRange(stride.IsSquare ? [$"Stride = {stride.Height}"] : [$"StrideHeight = {stride.Height}", $"StrideWidth = {stride.Width}"]);
                }

                Pair("Padding", pooling.Padding, 0);
                arguments.AddRange(pooling.CeilMode ? ["CeilMode = true"] : []);
                arguments.AddRange(pooling is AvgPool2d { CountIncludePad: false } ? ["CountIncludePad = false"] : []);
                break;
            case GlobalAvgPool2d:
                head = "GlobalAvgPool2d(";
                break;
            case BatchNorm2d norm:
                head = norm.NumFeatures is { } features ? $"BatchNorm2d({features}" : "BatchNorm2d(";
                arguments.AddRange(norm.Eps != 1e-5 ? [$"Eps = {norm.Eps.ToString("R", CultureInfo.InvariantCulture)}"] : []);
                arguments.AddRange(norm.Momentum != 0.1 ? [$"Momentum = {norm.Momentum.ToString("R", CultureInfo.InvariantCulture)}"] : []);
                break;
            case AdaptiveAvgPool2d adaptive:
                head = $"AdaptiveAvgPool2d({adaptive.OutputSize.Height}, {adaptive.OutputSize.Width}";
                break;
            case Linear linear:
                head = $"Linear({linear.InFeatures}, {linear.OutFeatures}";
                arguments.AddRange(linear.Bias ? [] : ["Bias = false"]);
                break;
            case Dropout dropout:
                head = $"Dropout({dropout.Probability.ToString("R", CultureInfo.InvariantCulture)}";
                break;
            case LeakyReLU leaky:
                head = "LeakyReLU(";
                arguments.Add($"NegativeSlope = {leaky.NegativeSlope.ToString("R", CultureInfo.InvariantCulture)}");
                break;
            default:
                head = layer.Kind + "(";
                break;
        }

        arguments.AddRange(layer.Name is { } name ? [$"Name = \"{name}\""] : []);
        string separator = head.EndsWith('(') || arguments.Count == 0 ? string.Empty : ", ";
        return head + separator + string.Join(", ", arguments) + ")";
    }

    /// <summary>A network's input: <c>C x H x W</c> planes, or a <c>C x L</c> sequence (L held as the width).</summary>
    private sealed record Input(int Channels, int Height, int Width, bool IsSequence)
    {
        public Validation<ConvGenError, Sequential> Create(IEnumerable<Layer> layers, string name) =>
            IsSequence ? Sequential.Create((Channels, Width), layers, name) : Sequential.Create((Channels, Height, Width), layers, name);
    }

    [GeneratedRegex(@"^layers\[(?<index>\d+)\] (?<kind>\w+) ")]
    private static partial Regex LayerIndex();

    // Buffers (BatchNorm's running statistics) carry flags after the shape.
    [GeneratedRegex(@"new\(""(?<name>[^""]+)"", \w+Offset, \[(?<shape>[^\]]*)\](?<flags>(, Trainable: false)?(, IsCount: true)?)\),")]
    private static partial Regex ParameterLine();
}
