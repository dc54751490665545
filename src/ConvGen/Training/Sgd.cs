using System.Runtime.CompilerServices;
using ConvGen.Kernels;

namespace ConvGen.Training;

/// <summary>
/// Stochastic gradient descent as <c>torch.optim.SGD</c>: optional L2 weight decay added to the gradient, momentum
/// (the buffer starts as the first gradient, no dampening) and Nesterov momentum.
/// </summary>
public sealed record Sgd(float LearningRate, float Momentum = 0f, float WeightDecay = 0f, bool Nesterov = false) : Optimizer
{
    /// <inheritdoc/>
    public override float LearningRate { get; } = LearningRate;

    /// <inheritdoc/>
    public override OptimizerState CreateState(int parameterCount) => new(0, Momentum != 0f ? new float[parameterCount] : [], []);

    /// <inheritdoc/>
    public override string? Validate() =>
        base.Validate()
        ?? (Momentum < 0f || !float.IsFinite(Momentum) ? $"Sgd: momentum must be at least 0, got {Momentum}." : null)
        ?? (WeightDecay < 0f || !float.IsFinite(WeightDecay) ? $"Sgd: weight decay must be at least 0, got {WeightDecay}." : null)
        ?? (Nesterov && Momentum == 0f ? "Sgd: Nesterov momentum needs a momentum above 0." : null);

    internal override unsafe void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, OptimizerState state, float learningRate)
    {
        using var timing = Kernels.KernelProfiler.Time("Sgd.Apply", parameters.Length);
        var update = new SgdUpdate(learningRate, Momentum, WeightDecay, Nesterov, FirstStep: state.Step == 0);
        fixed (float* parameterStart = parameters, gradientStart = gradients, bufferStart = state.First)
        {
            ElementwiseLoop.Run(new SgdKernel(update, parameterStart, gradientStart, bufferStart), parameters.Length, acrossCores: true);
        }

        state.Step++;
    }

    /// <summary>The constants of one SGD step.</summary>
    private readonly record struct SgdUpdate(float LearningRate, float Momentum, float WeightDecay, bool Nesterov, bool FirstStep);

    /// <summary>One SGD step on the parameters and the momentum buffer (empty without momentum); every lane does the scalar arithmetic.</summary>
    private readonly unsafe struct SgdKernel(SgdUpdate update, float* parameters, float* gradients, float* buffer) : IElementwiseKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TLanes, TVector>(int index)
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            TVector parameter = TLanes.Load(parameters + index);
            TVector gradient = TLanes.Add(TLanes.Load(gradients + index), TLanes.Multiply(TLanes.Broadcast(update.WeightDecay), parameter));
            if (update.Momentum != 0f)
            {
                TVector momentum = TLanes.Broadcast(update.Momentum);
                // The buffer starts as the first gradient.
                TVector velocity = update.FirstStep ? gradient : TLanes.Add(TLanes.Multiply(momentum, TLanes.Load(buffer + index)), gradient);
                TLanes.Store(buffer + index, velocity);
                gradient = update.Nesterov ? TLanes.Add(gradient, TLanes.Multiply(momentum, velocity)) : velocity;
            }

            TLanes.Store(parameters + index, TLanes.Subtract(parameter, TLanes.Multiply(TLanes.Broadcast(update.LearningRate), gradient)));
        }
    }
}
