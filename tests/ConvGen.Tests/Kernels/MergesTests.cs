using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The backward merge fused with the ReLU before it (<see cref="Merges.AccumulateReluBackward"/>) against its
/// definition and against the two passes it replaces, bit for bit, over lengths that end in a partial register and
/// that the cores split; special values included.
/// </summary>
public sealed class MergesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(100_003)]
    [InlineData(401_413)]
    public void AccumulateReluBackwardIsTheSumMaskedByTheReluOutput(int length)
    {
        (float[] sum, float[] gradient, float[] output) = Operands(length, new Random(length));
        float[] fused = [.. sum], twoPasses = [.. sum];

        Merges.AccumulateReluBackward(fused, gradient, output);
        Merges.Accumulate(twoPasses, gradient);
        Activations.ReluBackward(output, twoPasses);

        var expected = new float[length];
        for (int i = 0; i < length; i++)
        {
            // The ReLU passes the gradient only where its output is positive (NaN is not), and zero elsewhere.
            expected[i] = output[i] > 0 ? sum[i] + gradient[i] : 0f;
        }

        BitAssert.Identical(expected, fused, "the fused pass against its definition");
        BitAssert.Identical(twoPasses, fused, "the fused pass against Accumulate then ReluBackward");
    }

    [Fact]
    public void ShortOperandsAreRefused()
    {
        var exception = Assert.Throws<ArgumentException>(() => Merges.AccumulateReluBackward(new float[4], new float[5], new float[5]));
        Assert.Contains("5 gradient values", exception.Message);
        Assert.Throws<ArgumentException>(() => Merges.AccumulateReluBackward(new float[5], new float[5], new float[4]));
    }

    // Random values with every special one sprinkled in: signed zeros, infinities, NaN, in each operand.
    private static (float[] Sum, float[] Gradient, float[] Output) Operands(int length, Random random)
    {
        float[] specials = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon];
        float Next() => random.Next(10) == 0 ? specials[random.Next(specials.Length)] : (float)(random.NextDouble() * 4 - 2);
        float[] sum = new float[length], gradient = new float[length], output = new float[length];
        for (int i = 0; i < length; i++)
        {
            (sum[i], gradient[i], output[i]) = (Next(), Next(), Next());
        }

        return (sum, gradient, output);
    }
}
