using ConvGen.Kernels;
using ConvGen.Samples.Digits;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// Xavier and Kaiming initialisation. Seeded values cannot equal PyTorch's, so the proof is in two parts: the numbers
/// that decide the distribution (fans, gain, uniform bound or standard deviation) equal those <c>torch.nn.init</c>
/// itself passes to <c>uniform_</c> or <c>normal_</c> (fixture <c>initializers</c>), and a large sample has that distribution.
/// </summary>
public sealed class InitializerFixtureTests
{
    private const string Family = "initializers";

    public static TheoryData<string> Cases => PyTorchFixtures.CaseNames(Family);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fans_gain_and_bound_or_std_match_torch_nn_init(string name)
    {
        FixtureCase fixture = PyTorchFixtures.Case(Family, name);
        int[] shape = fixture.Ints("shape");
        var nonlinearity = Enum.Parse<Nonlinearity>(fixture.Text("nonlinearity").Replace("_", string.Empty), ignoreCase: true);
        var mode = Enum.Parse<FanMode>(fixture.Text("mode").Replace("_", string.Empty), ignoreCase: true);
        double slope = fixture.Double("slope"), gain = WeightInit.CalculateGain(nonlinearity, slope);
        WeightInit scheme = fixture.Text("scheme") switch
        {
            "xavier_uniform" => WeightInit.XavierUniform(gain),
            "xavier_normal" => WeightInit.XavierNormal(gain),
            "kaiming_uniform" => WeightInit.KaimingUniform(nonlinearity, mode, slope),
            "kaiming_normal" => WeightInit.KaimingNormal(nonlinearity, mode, slope),
            string other => throw new InvalidDataException($"Unknown scheme '{other}' in {fixture}."),
        };

        (int fanIn, int fanOut) = WeightInit.Fans(shape);
        Assert.Equal((fixture.Int("fan_in"), fixture.Int("fan_out")), (fanIn, fanOut));
        Assert.Equal(fixture.Double("gain"), gain, 1e-15);
        if (scheme.Distribution == InitDistribution.Uniform)
        {
            Assert.Equal(fixture.Double("bound"), scheme.UniformBound(fanIn, fanOut), 1e-12);
        }
        else
        {
            Assert.Equal(fixture.Double("std"), scheme.StandardDeviation(fanIn, fanOut), 1e-12);
        }
    }

    [Fact]
    public void Gains_are_those_of_calculate_gain_with_its_default_slope()
    {
        Assert.Equal(1.0, WeightInit.CalculateGain(Nonlinearity.Linear));
        Assert.Equal(1.0, WeightInit.CalculateGain(Nonlinearity.Sigmoid));
        Assert.Equal(5.0 / 3, WeightInit.CalculateGain(Nonlinearity.Tanh));
        Assert.Equal(Math.Sqrt(2), WeightInit.CalculateGain(Nonlinearity.ReLU));
        Assert.Equal(Math.Sqrt(2 / 1.0001), WeightInit.CalculateGain(Nonlinearity.LeakyReLU));
        // Kaiming's own default slope is 0, where leaky ReLU's gain is ReLU's.
        Assert.Equal(Math.Sqrt(2) / Math.Sqrt(10), WeightInit.KaimingNormal().StandardDeviation(fanIn: 10, fanOut: 99), 1e-15);
    }

    [Fact]
    public void A_tensor_of_fewer_than_two_dimensions_has_no_fans()
    {
        var error = Assert.Throws<ArgumentException>(() => WeightInit.Fans([16]));
        Assert.StartsWith("Fans need a weight of at least two dimensions, (out, in, ...), but the shape is (16).", error.Message);
    }

    [Theory]
    [InlineData(InitDistribution.Uniform)]
    [InlineData(InitDistribution.Normal)]
    public void A_large_sample_has_the_scheme_s_distribution(InitDistribution distribution)
    {
        // (128, 64, 5, 5): fan_in 1600, fan_out 3200, 204,800 values.
        int[] shape = [128, 64, 5, 5];
        WeightInit scheme = new Kaiming(distribution, Nonlinearity.ReLU, FanMode.FanOut);
        double std = Math.Sqrt(2) / Math.Sqrt(3200);
        float[] values = new float[128 * 64 * 5 * 5];
        scheme.Fill(values, shape, seed: 3, stream: 1);

        double mean = values.Average(v => (double)v);
        double sampleStd = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        double kurtosis = values.Average(v => Math.Pow((v - mean) / sampleStd, 4));
        double Within(double multiple) => values.Count(v => Math.Abs(v) <= multiple * std) / (double)values.Length;

        // The mean's own standard error is std / sqrt(n) = 2.2e-3 std; the std's about 0.16% (normal) or 0.1% (uniform).
        Assert.True(Math.Abs(mean) < 5 * std / Math.Sqrt(values.Length), $"mean {mean} for std {std}");
        Assert.True(Math.Abs(sampleStd / std - 1) < 0.01, $"sample std {sampleStd}, expected {std}");
        if (distribution == InitDistribution.Uniform)
        {
            double bound = scheme.UniformBound(1600, 3200);
            Assert.Equal(Math.Sqrt(3) * std, bound, 1e-15);
            Assert.All(values, v => Assert.InRange(v, -bound, bound));
            Assert.True(values.Max(v => Math.Abs(v)) > 0.999 * bound, "the sample reaches the bound");
            Assert.InRange(kurtosis, 1.75, 1.85); // 1.8 for a uniform
            Assert.InRange(Within(Math.Sqrt(3) / 2), 0.495, 0.505); // half the width holds half the mass
        }
        else
        {
            Assert.InRange(kurtosis, 2.9, 3.1); // 3 for a normal
            Assert.InRange(Within(1), 0.6827 - 0.005, 0.6827 + 0.005);
            Assert.InRange(Within(2), 0.9545 - 0.003, 0.9545 + 0.003);
            Assert.InRange(Within(3), 0.9973 - 0.001, 0.9973 + 0.001);
        }
    }

    [Fact]
    public void Odd_lengths_and_streams_give_independent_normal_draws()
    {
        float[] first = new float[7], again = new float[7], otherStream = new float[7];
        Initializers.Normal(first, 1f, seed: 1, stream: 0);
        Initializers.Normal(again, 1f, seed: 1, stream: 0);
        Initializers.Normal(otherStream, 1f, seed: 1, stream: 1);

        Assert.Equal(first, again);
        Assert.All(first, v => Assert.True(float.IsFinite(v) && v != 0f));
        Assert.NotEqual(first, otherStream);
    }

    [Fact]
    public void A_generated_network_takes_the_scheme_for_its_weights_and_keeps_PyTorch_s_default_biases()
    {
        DigitsNet defaults = DigitsNet.Initialize(seed: 4);
        DigitsNet kaiming = DigitsNet.Initialize(seed: 4, WeightInit.KaimingUniform(Nonlinearity.ReLU, FanMode.FanOut));

        // By hand, bound = sqrt(2) * sqrt(3 / fan_out), fan_out = out_channels * kernel area (or out-features).
        (string Name, int FanOut)[] weights = [("conv1.weight", 16 * 9), ("conv2.weight", 32 * 9), ("fc1.weight", 64), ("fc2.weight", 10)];
        foreach ((string name, int fanOut) in weights)
        {
            float[] values = kaiming.Parameters[name].ToArray();
            double bound = Math.Sqrt(2) * Math.Sqrt(3.0 / fanOut);
            Assert.All(values, v => Assert.InRange(v, -bound, bound));
            Assert.True(values.Max(v => Math.Abs(v)) > 0.9 * bound, $"{name} reaches near its bound {bound}");
            Assert.NotEqual(defaults.Parameters[name].ToArray(), values);
        }

        foreach (string bias in new[] { "conv1.bias", "conv2.bias", "fc1.bias", "fc2.bias" })
        {
            Assert.Equal(defaults.Parameters[bias].ToArray(), kaiming.Parameters[bias].ToArray());
        }

        Assert.Equal(kaiming.Parameters.Values.ToArray(), DigitsNet.Initialize(seed: 4, WeightInit.KaimingUniform(Nonlinearity.ReLU, FanMode.FanOut)).Parameters.Values.ToArray());
        Assert.NotEqual(kaiming.Parameters.Values.ToArray(), DigitsNet.Initialize(seed: 5, WeightInit.KaimingUniform(Nonlinearity.ReLU, FanMode.FanOut)).Parameters.Values.ToArray());
    }
}
