using System.Numerics;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Training;

/// <summary>
/// Adam as <c>torch.optim.Adam</c> (weight decay added to the gradient, i.e. L2) or, with
/// <paramref name="DecoupledWeightDecay"/>, as <c>torch.optim.AdamW</c> (weights shrunk directly). One update serves both.
/// </summary>
public sealed record Adam(
    float LearningRate = 1e-3f,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float Epsilon = 1e-8f,
    float WeightDecay = 0f,
    bool DecoupledWeightDecay = false) : Optimizer
{
    /// <inheritdoc/>
    public override float LearningRate { get; } = LearningRate;

    /// <summary>AdamW: Adam with decoupled weight decay (PyTorch's default decay 0.01).</summary>
    public static Adam W(float learningRate = 1e-3f, float weightDecay = 0.01f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f) =>
        new(learningRate, beta1, beta2, epsilon, weightDecay, DecoupledWeightDecay: true);

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount) => new(0, new float[parameterCount], new float[parameterCount]);

    /// <inheritdoc/>
    public override string? Validate() =>
        base.Validate()
        ?? (!(Beta1 >= 0f && Beta1 < 1f) ? $"Adam: beta1 must be in [0, 1), got {Beta1}." : null)
        ?? (!(Beta2 >= 0f && Beta2 < 1f) ? $"Adam: beta2 must be in [0, 1), got {Beta2}." : null)
        ?? (!(Epsilon > 0f) ? $"Adam: epsilon must be positive, got {Epsilon}." : null)
        ?? (!(WeightDecay >= 0f) ? $"Adam: weight decay must be at least 0, got {WeightDecay}." : null);

    internal override unsafe void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, OptimizerState state)
    {
        int step = ++state.Step;
        // PyTorch's arithmetic: denom = sqrt(v) / sqrt(1 - beta2^t) + eps, step size = lr / (1 - beta1^t).
        float biasCorrection1 = 1f - MathF.Pow(Beta1, step);
        var update = new AdamUpdate(
            Beta1, Beta2, Epsilon,
            StepSize: LearningRate / biasCorrection1,
            InverseRootCorrection2: 1f / MathF.Sqrt(1f - MathF.Pow(Beta2, step)),
            L2: DecoupledWeightDecay ? 0f : WeightDecay,
            Shrink: DecoupledWeightDecay ? 1f - LearningRate * WeightDecay : 1f);
        fixed (float* parameterStart = parameters, gradientStart = gradients, firstStart = state.First, secondStart = state.Second)
        {
            var work = new ElementwiseWork<AdamUpdate>(update, parameters.Length, parameterStart, gradientStart, firstStart, secondStart);
            WorkerPool.Run(ref work, work.Parts);
        }
    }

    /// <summary>One Adam step on a run of parameters; every lane does exactly the scalar arithmetic, so results match bit for bit.</summary>
    private readonly record struct AdamUpdate(
        float Beta1, float Beta2, float Epsilon, float StepSize, float InverseRootCorrection2, float L2, float Shrink) : IElementwiseUpdate
    {
        public unsafe void Apply(int start, int end, float* parameters, float* gradients, float* first, float* second)
        {
            int i = start;
            if (Vector.IsHardwareAccelerated)
            {
                for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector<float> parameter = Vector.Load(parameters + i) * Shrink;
                    Vector<float> gradient = Vector.Load(gradients + i) + L2 * parameter;
                    Vector<float> m = Beta1 * Vector.Load(first + i) + (1f - Beta1) * gradient;
                    Vector<float> v = Beta2 * Vector.Load(second + i) + (1f - Beta2) * gradient * gradient;
                    m.Store(first + i);
                    v.Store(second + i);
                    (parameter - StepSize * m / (Vector.SquareRoot(v) * InverseRootCorrection2 + new Vector<float>(Epsilon))).Store(parameters + i);
                }
            }

            for (; i < end; i++)
            {
                float parameter = parameters[i] * Shrink;
                float gradient = gradients[i] + L2 * parameter;
                float m = first[i] = Beta1 * first[i] + (1f - Beta1) * gradient;
                float v = second[i] = Beta2 * second[i] + (1f - Beta2) * gradient * gradient;
                parameters[i] = parameter - StepSize * m / (MathF.Sqrt(v) * InverseRootCorrection2 + Epsilon);
            }
        }
    }
}
