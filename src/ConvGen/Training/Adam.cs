using System.Runtime.CompilerServices;
using ConvGen.Kernels;

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

    internal override unsafe void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, OptimizerState state, float learningRate)
    {
        using var timing = Kernels.KernelProfiler.Time("Adam.Apply", parameters.Length);
        int step = ++state.Step;
        // PyTorch's arithmetic: denom = sqrt(v) / sqrt(1 - beta2^t) + eps, step size = lr / (1 - beta1^t).
        float biasCorrection1 = 1f - MathF.Pow(Beta1, step);
        var update = new AdamUpdate(
            Beta1, Beta2, Epsilon,
            StepSize: learningRate / biasCorrection1,
            InverseRootCorrection2: 1f / MathF.Sqrt(1f - MathF.Pow(Beta2, step)),
            L2: DecoupledWeightDecay ? 0f : WeightDecay,
            Shrink: DecoupledWeightDecay ? 1f - learningRate * WeightDecay : 1f);
        fixed (float* parameterStart = parameters, gradientStart = gradients, firstStart = state.First, secondStart = state.Second)
        {
            var kernel = new AdamKernel(update, parameterStart, gradientStart, firstStart, secondStart);
            ElementwiseLoop.Run(kernel, parameters.Length, acrossCores: true);
        }
    }

    /// <summary>The constants of one Adam step.</summary>
    private readonly record struct AdamUpdate(
        float Beta1, float Beta2, float Epsilon, float StepSize, float InverseRootCorrection2, float L2, float Shrink);

    /// <summary>One Adam step on the parameters and their moments; every lane does exactly the scalar arithmetic, so results match bit for bit.</summary>
    private readonly unsafe struct AdamKernel(AdamUpdate update, float* parameters, float* gradients, float* first, float* second) : IElementwiseKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TLanes, TVector>(int index)
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            TVector parameter = TLanes.Multiply(TLanes.Load(parameters + index), TLanes.Broadcast(update.Shrink));
            TVector gradient = TLanes.Add(TLanes.Load(gradients + index), TLanes.Multiply(TLanes.Broadcast(update.L2), parameter));
            TVector m = TLanes.Add(
                TLanes.Multiply(TLanes.Broadcast(update.Beta1), TLanes.Load(first + index)),
                TLanes.Multiply(TLanes.Broadcast(1f - update.Beta1), gradient));
            TVector v = TLanes.Add(
                TLanes.Multiply(TLanes.Broadcast(update.Beta2), TLanes.Load(second + index)),
                TLanes.Multiply(TLanes.Multiply(TLanes.Broadcast(1f - update.Beta2), gradient), gradient));
            TLanes.Store(first + index, m);
            TLanes.Store(second + index, v);
            TVector denominator = TLanes.Add(
                TLanes.Multiply(TLanes.SquareRoot(v), TLanes.Broadcast(update.InverseRootCorrection2)), TLanes.Broadcast(update.Epsilon));
            TLanes.Store(parameters + index, TLanes.Subtract(parameter, TLanes.Divide(TLanes.Multiply(TLanes.Broadcast(update.StepSize), m), denominator)));
        }
    }
}
