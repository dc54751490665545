using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Sigmoid over spans long enough to be split between the cores (LeNet's first activation is 1.2 M values at batch
/// 256), of a length no register width divides: against the formula in double, and its gradient against the float
/// formula term by term.
/// </summary>
public sealed class SigmoidTests
{
    private const int Length = 3 * 65_536 + 11;

    [Fact]
    public void TheForwardPassIsTheLogisticFunctionEverywhere()
    {
        float[] input = Values(seed: 1, scale: 20);
        var output = new float[Length];

        Activations.SigmoidForward(input, output);

        for (int i = 0; i < Length; i++)
        {
            double expected = 1 / (1 + Math.Exp(-(double)input[i]));
            Assert.True(Math.Abs(output[i] - expected) <= 1e-6 * Math.Max(expected, 1e-30) + 1e-38, $"sigmoid({input[i]}) = {output[i]}, expected {expected}");
        }
    }

    [Fact]
    public void AValueGivesTheSameBitsAloneAsInsideALongSpan()
    {
        // Alone, a value takes the scalar path; inside a span, the registers' (unless SIMD is off). Edge values too:
        // infinities (0 and 1 to within float's reach), NaN (kept), signed zeros, subnormals, and the clamping bounds.
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-45f, -1e-45f, 86f, -86f, 88f, -88f, 100f, -100f, 17f, -17f];
        float[] values = [.. special, .. Values(seed: 4, scale: 90).Take(997)];
        var together = new float[values.Length];
        Activations.SigmoidForward(values, together);

        for (int i = 0; i < values.Length; i++)
        {
            var alone = new float[1];
            Activations.SigmoidForward(values.AsSpan(i, 1), alone);
            Assert.True(BitConverter.SingleToInt32Bits(alone[0]) == BitConverter.SingleToInt32Bits(together[i]), $"sigmoid({values[i]}): {alone[0]} alone, {together[i]} in a span");
        }

        Assert.True(float.IsNaN(together[0]));
        Assert.Equal(1f, together[1]);
        Assert.InRange(together[2], 0f, 1e-37f);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], together[3..7]);
    }

    [Fact]
    public void TheGradientIsTheOutputGradientTimesYTimesOneMinusY()
    {
        float[] output = Values(seed: 2, scale: 1).Select(Math.Abs).ToArray();
        float[] gradient = Values(seed: 3, scale: 4);
        float[] expected = gradient.Select((g, i) => g * (output[i] * (1f - output[i]))).ToArray();

        Activations.SigmoidBackward(output, gradient);

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), gradient.Select(BitConverter.SingleToInt32Bits));
    }

    private static float[] Values(int seed, double scale)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Length).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }
}
