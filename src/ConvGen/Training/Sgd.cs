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

    internal override void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, OptimizerState state)
    {
        bool firstStep = state.Step == 0;
        Span<float> buffer = state.First;
        for (int i = 0; i < parameters.Length; i++)
        {
            float gradient = gradients[i] + WeightDecay * parameters[i];
            if (Momentum != 0f)
            {
                buffer[i] = firstStep ? gradient : Momentum * buffer[i] + gradient;
                gradient = Nesterov ? gradient + Momentum * buffer[i] : buffer[i];
            }

            parameters[i] -= LearningRate * gradient;
        }

        state.Step++;
    }
}
