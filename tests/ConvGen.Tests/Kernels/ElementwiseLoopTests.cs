using ConvGen.Kernels;
using ConvGen.Training;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The element-wise driver at every length 0..256 (every split between whole registers and the scalar tail, at 512,
/// 256 and 128-bit widths alike) and at an odd offset into a larger buffer: each operation against its rule written
/// out in plain scalar C# here, bit for bit, with the values around the range left alone. Inputs mix ordinary values
/// with NaN, infinities, signed zeros and subnormals. CI re-runs these with AVX-512 and with all SIMD switched off.
/// </summary>
public sealed class ElementwiseLoopTests
{
    private const int MaximumLength = 256;
    // Inputs start here in their buffers, so that no length lines up with a register.
    private const int Offset = 3;
    private const float Sentinel = 12345.678f;

    private static readonly float[] Special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-45f, -1e-45f, 1f, -1f, 88f, -87f];

    [Fact]
    public void ReluBackwardKeepsTheGradientWhereTheOutputIsPositive() =>
        EveryLengthInPlace((y, g) => Activations.ReluBackward(y, g), (y, g) => y > 0f ? g : 0f);

    [Fact]
    public void LeakyReluForwardScalesTheNegativeSide() =>
        EveryLength((x, y) => Activations.LeakyReluForward(x, y, 0.01f), x => x > 0f ? x : 0.01f * x);

    [Fact]
    public void LeakyReluBackwardScalesTheGradientOnTheNegativeSide() =>
        EveryLengthInPlace((x, g) => Activations.LeakyReluBackward(x, g, -0.3f), (x, g) => x > 0f ? g : g * -0.3f);

    [Fact]
    public void SigmoidBackwardIsTheGradientTimesYTimesOneMinusY() =>
        EveryLengthInPlace((y, g) => Activations.SigmoidBackward(y, g), (y, g) => g * (y * (1f - y)));

    [Fact]
    public void TanhBackwardIsTheGradientTimesOneMinusYSquared() =>
        EveryLengthInPlace((y, g) => Activations.TanhBackward(y, g), (y, g) => g * (1f - y * y));

    [Fact]
    public void SigmoidForwardIsTheScalarLogisticFunction() =>
        EveryLength((x, y) => Activations.SigmoidForward(x, y), ScalarLogistic);

    [Fact]
    public void SigmoidForwardInPlaceGivesTheSameBits()
    {
        for (int length = 0; length <= MaximumLength; length++)
        {
            float[] values = Values(length, seed: length);
            float[] expected = values.Select(ScalarLogistic).ToArray();
            Activations.SigmoidForward(values, values);
            BitAssert.Identical(expected, values, $"in-place sigmoid, length {length}");
        }
    }

    [Fact]
    public void BatchNormScaleAndShiftIsXTimesScalePlusShift() =>
        EveryLength((x, y) => BatchNormPlanes.ScaleAndShift(x, 1.7f, -0.3f, y, relu: false), x => x * 1.7f + -0.3f);

    [Fact]
    public void BatchNormScaleAndShiftWithTheReluAfterItIsMathFMaxOfTheAffineValue() =>
        EveryLength((x, y) => BatchNormPlanes.ScaleAndShift(x, 1.7f, -0.3f, y, relu: true), x => MathF.Max(x * 1.7f + -0.3f, 0f));

    [Fact]
    public void BatchNormInputGradientIsTheAffineRuleOfGradientAndDeviation()
    {
        const float Mean = 0.25f, Gain = 1.3f, Factor = -0.07f, Shift = 0.011f;
        EveryLengthInPlace(
            (x, dy) => BatchNormPlanes.InputGradient(dy, x, Mean, Gain, Factor, Shift, dy),
            (x, dy) => dy * Gain + (x - Mean) * Factor + Shift);
    }

    [Fact]
    public void AdamUpdatesEveryParameterAsTheScalarRule()
    {
        // Weight decay as L2 and decoupled exercise every term of the update; two steps so that the moments are not zero.
        foreach (Adam adam in new[] { new Adam(LearningRate: 0.01f, WeightDecay: 0.1f), Adam.W(learningRate: 0.01f, weightDecay: 0.1f) })
        {
            EveryLengthOfAdam(adam);
        }
    }

    private static void EveryLengthOfAdam(Adam adam)
    {
        for (int length = 0; length <= MaximumLength; length++)
        {
            float[] parameters = Values(length, seed: 3 * length), gradients = Values(length, seed: 3 * length + 1, specials: false);
            float[] expected = (float[])parameters.Clone(), first = new float[length], second = new float[length];
            OptimizerState state = adam.CreateState(length);
            for (int step = 1; step <= 2; step++)
            {
                adam.Update(parameters, gradients, state);
                ScalarAdam(adam, step, expected, gradients, first, second);
            }

            BitAssert.Identical(expected, parameters, $"{adam} parameters, length {length}");
            BitAssert.Identical(first, state.First, $"Adam first moments, length {length}");
            BitAssert.Identical(second, state.Second, $"Adam second moments, length {length}");
        }
    }

    [Fact]
    public void SgdUpdatesEveryParameterAsTheScalarRule()
    {
        // Plain, with momentum and with Nesterov momentum; three steps so that the buffer starts and then accumulates.
        foreach (Sgd sgd in new[] { new Sgd(0.1f, WeightDecay: 0.01f), new Sgd(0.1f, Momentum: 0.9f, WeightDecay: 0.01f), new Sgd(0.1f, Momentum: 0.8f, Nesterov: true) })
        {
            for (int length = 0; length <= MaximumLength; length++)
            {
                float[] parameters = Values(length, seed: 5 * length), gradients = Values(length, seed: 5 * length + 1);
                float[] expected = (float[])parameters.Clone(), buffer = new float[length];
                OptimizerState state = sgd.CreateState(length);
                for (int step = 0; step < 3; step++)
                {
                    sgd.Update(parameters, gradients, state);
                    ScalarSgd(sgd, step, expected, gradients, buffer);
                }

                BitAssert.Identical(expected, parameters, $"{sgd} parameters, length {length}");
                BitAssert.Identical(sgd.Momentum != 0f ? buffer : [], state.First, $"{sgd} momentum buffer, length {length}");
            }
        }
    }

    // torch.optim.SGD's arithmetic, one float at a time.
    private static void ScalarSgd(Sgd sgd, int step, float[] parameters, float[] gradients, float[] buffer)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            float gradient = gradients[i] + sgd.WeightDecay * parameters[i];
            if (sgd.Momentum != 0f)
            {
                buffer[i] = step == 0 ? gradient : sgd.Momentum * buffer[i] + gradient;
                gradient = sgd.Nesterov ? gradient + sgd.Momentum * buffer[i] : buffer[i];
            }

            parameters[i] -= sgd.LearningRate * gradient;
        }
    }

    // torch.optim.Adam's and AdamW's arithmetic, one float at a time.
    private static void ScalarAdam(Adam adam, int step, float[] parameters, float[] gradients, float[] first, float[] second)
    {
        float stepSize = adam.LearningRate / (1f - MathF.Pow(adam.Beta1, step));
        float inverseRootCorrection2 = 1f / MathF.Sqrt(1f - MathF.Pow(adam.Beta2, step));
        float l2 = adam.DecoupledWeightDecay ? 0f : adam.WeightDecay;
        float shrink = adam.DecoupledWeightDecay ? 1f - adam.LearningRate * adam.WeightDecay : 1f;
        for (int i = 0; i < parameters.Length; i++)
        {
            float parameter = parameters[i] * shrink;
            float gradient = gradients[i] + l2 * parameter;
            first[i] = adam.Beta1 * first[i] + (1f - adam.Beta1) * gradient;
            second[i] = adam.Beta2 * second[i] + (1f - adam.Beta2) * gradient * gradient;
            parameters[i] = parameter - stepSize * first[i] / (MathF.Sqrt(second[i]) * inverseRootCorrection2 + adam.Epsilon);
        }
    }

    // The Cephes-style logistic function step by step in scalar floats (LogisticFunction's documented algorithm).
    private static float ScalarLogistic(float x)
    {
        const float RoundingShift = 12582912f;
        float t = MathF.Min(MathF.Max(-x, -86f), 88f);
        float shifted = t * 1.44269504088896341f + RoundingShift;
        float n = shifted - RoundingShift;
        float r = MathF.FusedMultiplyAdd(n, -0.693359375f, t);
        r = MathF.FusedMultiplyAdd(n, 2.12194440e-4f, r);
        float p = MathF.FusedMultiplyAdd(1.9875691500e-4f, r, 1.3981999507e-3f);
        p = MathF.FusedMultiplyAdd(p, r, 8.3334519073e-3f);
        p = MathF.FusedMultiplyAdd(p, r, 4.1665795894e-2f);
        p = MathF.FusedMultiplyAdd(p, r, 1.6666665459e-1f);
        p = MathF.FusedMultiplyAdd(p, r, 5.0000001201e-1f);
        float er = MathF.FusedMultiplyAdd(p, r * r, r) + 1f;
        int scale = (BitConverter.SingleToInt32Bits(shifted) - BitConverter.SingleToInt32Bits(RoundingShift)) << 23;
        float e = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(er) + scale);
        return float.IsNaN(x) ? x : 1f / (1f + e);
    }

    private delegate void OutOfPlace(ReadOnlySpan<float> input, Span<float> output);

    private delegate void InPlace(ReadOnlySpan<float> input, Span<float> gradient);

    private static void EveryLength(OutOfPlace run, Func<float, float> rule)
    {
        for (int length = 0; length <= MaximumLength; length++)
        {
            float[] input = Padded(Values(length, seed: length));
            float[] output = Padded(new float[length]);
            run(input.AsSpan(Offset, length), output.AsSpan(Offset, length));

            float[] expected = Padded(input.AsSpan(Offset, length).ToArray().Select(rule).ToArray());
            BitAssert.Identical(expected, output, $"length {length}");
        }
    }

    private static void EveryLengthInPlace(InPlace run, Func<float, float, float> rule)
    {
        for (int length = 0; length <= MaximumLength; length++)
        {
            float[] input = Padded(Values(length, seed: 2 * length));
            float[] gradient = Padded(Values(length, seed: 2 * length + 1));
            float[] expected = (float[])gradient.Clone();
            for (int i = Offset; i < Offset + length; i++)
            {
                expected[i] = rule(input[i], gradient[i]);
            }

            run(input.AsSpan(Offset, length), gradient.AsSpan(Offset, length));
            BitAssert.Identical(expected, gradient, $"length {length}");
        }
    }

    // Sentinels on both sides catch a write outside the range.
    private static float[] Padded(float[] values) =>
        [.. Enumerable.Repeat(Sentinel, Offset), .. values, .. Enumerable.Repeat(Sentinel, 2 * Offset)];

    private static float[] Values(int length, int seed, bool specials = true)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = specials && random.Next(8) == 0 ? Special[random.Next(Special.Length)] : (float)(random.NextDouble() * 6 - 3);
        }

        return values;
    }
}
