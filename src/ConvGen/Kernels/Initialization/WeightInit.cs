namespace ConvGen.Kernels;

/// <summary>The activation that follows a layer, for <see cref="WeightInit.CalculateGain"/>, as <c>torch.nn.init.calculate_gain</c> names them.</summary>
public enum Nonlinearity
{
    /// <summary>No activation (or a convolution): gain 1.</summary>
    Linear,

    /// <summary>Sigmoid: gain 1.</summary>
    Sigmoid,

    /// <summary>Tanh: gain 5/3.</summary>
    Tanh,

    /// <summary>ReLU: gain <c>sqrt(2)</c>.</summary>
    ReLU,

    /// <summary>Leaky ReLU with a negative slope: gain <c>sqrt(2 / (1 + slope^2))</c>.</summary>
    LeakyReLU,
}

/// <summary>Which fan Kaiming initialisation keeps the variance of: the forward pass's (<see cref="FanIn"/>) or the backward pass's.</summary>
public enum FanMode
{
    /// <summary><c>in_channels/groups * kernel area</c> (or in-features): PyTorch's default <c>mode='fan_in'</c>.</summary>
    FanIn,

    /// <summary><c>out_channels * kernel area</c> (or out-features): <c>mode='fan_out'</c>.</summary>
    FanOut,
}

/// <summary>The distribution an initialiser draws from.</summary>
public enum InitDistribution
{
    /// <summary><c>U(-bound, bound)</c> with <c>bound = sqrt(3) * std</c>.</summary>
    Uniform,

    /// <summary><c>N(0, std^2)</c>.</summary>
    Normal,
}

/// <summary>
/// A scheme for drawing a weight tensor from its fans, as <c>torch.nn.init</c>: Xavier (Glorot) or Kaiming (He), uniform
/// or normal. Fans come from the weight's shape as PyTorch computes them: <c>(out, in, kh, kw)</c> gives
/// <c>fan_in = in * kh * kw</c> and <c>fan_out = out * kh * kw</c>; a linear weight <c>(out, in)</c> has no kernel area.
/// Values come from ConvGen's own seeded generator, so they follow PyTorch's distribution, not its exact numbers.
/// Use it through <c>YourNet.Initialize(seed, scheme)</c>.
/// </summary>
/// <param name="Distribution">Uniform or normal.</param>
public abstract record WeightInit(InitDistribution Distribution)
{
    /// <summary><c>torch.nn.init.xavier_uniform_(w, gain)</c>: <c>std = gain * sqrt(2 / (fan_in + fan_out))</c>.</summary>
    public static WeightInit XavierUniform(double gain = 1.0) => new Xavier(InitDistribution.Uniform, gain);

    /// <summary><c>torch.nn.init.xavier_normal_(w, gain)</c>: <c>std = gain * sqrt(2 / (fan_in + fan_out))</c>.</summary>
    public static WeightInit XavierNormal(double gain = 1.0) => new Xavier(InitDistribution.Normal, gain);

    /// <summary>
    /// <c>torch.nn.init.kaiming_uniform_(w, a, mode, nonlinearity)</c>: <c>std = gain / sqrt(fan)</c>. The defaults are
    /// PyTorch's: leaky ReLU with slope 0 (which is ReLU's gain), fan in.
    /// </summary>
    public static WeightInit KaimingUniform(Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, FanMode mode = FanMode.FanIn, double negativeSlope = 0.0) =>
        new Kaiming(InitDistribution.Uniform, nonlinearity, mode, negativeSlope);

    /// <summary><c>torch.nn.init.kaiming_normal_(w, a, mode, nonlinearity)</c>: <c>std = gain / sqrt(fan)</c>, PyTorch's defaults.</summary>
    public static WeightInit KaimingNormal(Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, FanMode mode = FanMode.FanIn, double negativeSlope = 0.0) =>
        new Kaiming(InitDistribution.Normal, nonlinearity, mode, negativeSlope);

    /// <summary>
    /// <c>torch.nn.init.calculate_gain</c>: the factor that keeps activations' variance through <paramref name="nonlinearity"/>.
    /// <paramref name="negativeSlope"/> is used by <see cref="Nonlinearity.LeakyReLU"/> alone; 0.01 as in PyTorch when not given.
    /// </summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.ReLU => Math.Sqrt(2.0),
        Nonlinearity.LeakyReLU => Math.Sqrt(2.0 / (1 + negativeSlope * negativeSlope)),
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, $"Nonlinearity {(int)nonlinearity} has no gain."),
    };

    /// <summary>PyTorch's <c>_calculate_fan_in_and_fan_out</c> for a weight of <paramref name="shape"/> (at least two dimensions).</summary>
    /// <exception cref="ArgumentException">The shape has fewer than two dimensions: a bias or a scale has no fans.</exception>
    public static (int FanIn, int FanOut) Fans(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 2)
        {
            throw new ArgumentException($"Fans need a weight of at least two dimensions, (out, in, ...), but the shape is ({string.Join(", ", shape.ToArray())}).", nameof(shape));
        }

        int receptiveField = 1;
        foreach (int size in shape[2..])
        {
            receptiveField *= size;
        }

        return (shape[1] * receptiveField, shape[0] * receptiveField);
    }

    /// <summary>The standard deviation of the values for a weight with these fans.</summary>
    public abstract double StandardDeviation(int fanIn, int fanOut);

    /// <summary>The bound of the uniform distribution with that standard deviation, <c>sqrt(3) * std</c>.</summary>
    public double UniformBound(int fanIn, int fanOut) => Math.Sqrt(3.0) * StandardDeviation(fanIn, fanOut);

    /// <summary>Fills <paramref name="values"/>, a weight of <paramref name="shape"/>, drawing stream <paramref name="stream"/> of <paramref name="seed"/>.</summary>
    public void Fill(Span<float> values, ReadOnlySpan<int> shape, ulong seed, ulong stream)
    {
        (int fanIn, int fanOut) = Fans(shape);
        if (Distribution == InitDistribution.Uniform)
        {
            Initializers.Uniform(values, (float)UniformBound(fanIn, fanOut), seed, stream);
        }
        else
        {
            Initializers.Normal(values, (float)StandardDeviation(fanIn, fanOut), seed, stream);
        }
    }
}

/// <summary>Xavier (Glorot): <c>std = gain * sqrt(2 / (fan_in + fan_out))</c>, for layers followed by tanh, sigmoid or nothing.</summary>
/// <param name="Distribution">Uniform or normal.</param>
/// <param name="Gain">A factor on the standard deviation, usually <see cref="WeightInit.CalculateGain"/> of the activation that follows.</param>
public sealed record Xavier(InitDistribution Distribution, double Gain = 1.0) : WeightInit(Distribution)
{
    /// <inheritdoc/>
    public override double StandardDeviation(int fanIn, int fanOut) => Gain * Math.Sqrt(2.0 / (fanIn + fanOut));
}

/// <summary>Kaiming (He): <c>std = gain / sqrt(fan)</c>, for layers followed by ReLU or leaky ReLU.</summary>
/// <param name="Distribution">Uniform or normal.</param>
/// <param name="Nonlinearity">The activation that follows, which decides the gain.</param>
/// <param name="Mode">Which fan to divide by.</param>
/// <param name="NegativeSlope">Leaky ReLU's slope, PyTorch's <c>a</c>; ignored by the other activations.</param>
public sealed record Kaiming(InitDistribution Distribution, Nonlinearity Nonlinearity = Nonlinearity.LeakyReLU, FanMode Mode = FanMode.FanIn, double NegativeSlope = 0.0)
    : WeightInit(Distribution)
{
    /// <inheritdoc/>
    public override double StandardDeviation(int fanIn, int fanOut) => CalculateGain(Nonlinearity, NegativeSlope) / Math.Sqrt(Mode == FanMode.FanIn ? fanIn : fanOut);
}
