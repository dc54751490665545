using ConvGen.Layers;

namespace ConvGen.Onnx.Tests;

/// <summary>
/// Random valid layer stacks: a few layers over planes (or, one time in four, over a sequence) drawn with random
/// hyperparameters, kept when <see cref="Sequential.Create(ValueTuple{int, int, int}, IEnumerable{Layer}, string)"/>
/// accepts them, then often a classifier head. The same seed always gives the same stack.
/// </summary>
internal static class RandomStacks
{
    public static Sequential Draw(int seed)
    {
        var random = new Random(seed);
        while (true)
        {
            bool sequence = random.Next(4) == 0;
            int inputChannels = random.Next(1, 5), channels = inputChannels;
            (int height, int width) = (random.Next(4, 13), random.Next(4, 13));
            List<Layer> layers = [];
            for (int count = random.Next(1, 6); layers.Count < count;)
            {
                (Layer layer, channels) = sequence ? SequenceLayer(random, channels) : PlaneLayer(random, channels);
                layers.Add(layer);
            }

            LanguageExt.Validation<ConvGenError, Sequential> body = Create(layers);
            if (body.IsFail)
            {
                continue;
            }

            Sequential stack = body.Match(Succ: network => network, Fail: _ => throw new InvalidOperationException());

            if (random.Next(3) > 0)
            {
                int features = stack.Architecture.Nodes[^1].OutputShape.Aggregate(1, (product, size) => product * size);
                int hidden = random.Next(2, 9);
                layers.AddRange([new Flatten(), new Linear(features, hidden), Activation(random), new Dropout(0.5), new Linear(hidden, random.Next(2, 6))]);
                if (random.Next(2) == 0)
                {
                    layers.Add(random.Next(2) == 0 ? new Softmax() : new LogSoftmax());
                }

                stack = Create(layers).Match(Succ: network => network, Fail: errors => throw new InvalidOperationException(string.Join("\n", errors)));
            }

            return stack;

            LanguageExt.Validation<ConvGenError, Sequential> Create(List<Layer> layers) => sequence
                ? Sequential.Create((inputChannels, width), layers, $"RandomStack{seed}")
                : Sequential.Create((inputChannels, height, width), layers, $"RandomStack{seed}");
        }
    }

    private static (Layer Layer, int Channels) PlaneLayer(Random random, int channels) => random.Next(9) switch
    {
        0 or 1 => Convolution(random, channels),
        2 => (Pool(random), channels),
        3 => (new AdaptiveAvgPool2d((random.Next(1, 6), random.Next(1, 6))), channels),
        4 => (new BatchNorm2d { Eps = random.Next(2) == 0 ? 1e-5 : 1e-3, Momentum = random.NextDouble() }, channels),
        5 => (random.Next(2) == 0 ? new Softmax() : new LogSoftmax(), channels),
        6 => (new Dropout(random.NextDouble() * 0.9), channels),
        _ => (Activation(random), channels),
    };

    private static (Layer Layer, int Channels) SequenceLayer(Random random, int channels)
    {
        switch (random.Next(5))
        {
            case 0 or 1:
                int groups = Divisor(random, channels), outChannels = groups * random.Next(1, 4);
                int kernel = random.Next(1, 5);
                var conv = new Conv1d(outChannels) { Kernel = kernel, Dilation = random.Next(1, 3), Groups = groups, Bias = random.Next(3) > 0 };
                return (random.Next(3) switch
                {
                    0 => conv with { PaddingMode = random.Next(2) == 0 ? "same" : "valid" },
                    _ => conv with { Stride = random.Next(1, 3), Padding = random.Next(0, 3) },
                }, outChannels);
            case 2:
                return (random.Next(2) == 0 ? new Softmax() : new LogSoftmax(), channels);
            case 3:
                return (new Dropout(0.25), channels);
            default:
                return (Activation(random), channels);
        }
    }

    private static (Layer, int) Convolution(Random random, int channels)
    {
        int groups = Divisor(random, channels), outChannels = groups * random.Next(1, 4);
        var conv = new Conv2d(outChannels)
        {
            Kernel = (random.Next(1, 4), random.Next(1, 4)),
            Dilation = (random.Next(1, 3), random.Next(1, 3)),
            Groups = groups,
            Bias = random.Next(3) > 0,
        };
        return (random.Next(3) switch
        {
            0 => conv with { PaddingMode = random.Next(2) == 0 ? "same" : "valid" },
            _ => conv with { Stride = (random.Next(1, 3), random.Next(1, 3)), Padding = (random.Next(0, 3), random.Next(0, 3)) },
        }, outChannels);
    }

    private static Layer Pool(Random random)
    {
        AxisPair kernel = (random.Next(1, 4), random.Next(1, 4));
        AxisPair? stride = random.Next(2) == 0 ? null : (random.Next(1, 4), random.Next(1, 4));
        AxisPair padding = (random.Next(0, kernel.Height / 2 + 1), random.Next(0, kernel.Width / 2 + 1));
        bool ceilMode = random.Next(2) == 0;
        return random.Next(2) == 0
            ? new MaxPool2d(kernel) { Stride = stride, Padding = padding, CeilMode = ceilMode }
            : new AvgPool2d(kernel) { Stride = stride, Padding = padding, CeilMode = ceilMode, CountIncludePad = random.Next(2) == 0 };
    }

    private static Layer Activation(Random random) => random.Next(6) switch
    {
        0 => new ReLU(),
        1 => new LeakyReLU { NegativeSlope = random.NextDouble() - 0.5 },
        2 => new Sigmoid(),
        3 => new Tanh(),
        4 => new ELU { Alpha = 0.5 + random.NextDouble() },
        _ => new Dropout(0.1),
    };

    private static int Divisor(Random random, int channels)
    {
        int[] divisors = [.. Enumerable.Range(1, channels).Where(d => channels % d == 0)];
        return divisors[random.Next(divisors.Length)];
    }
}
