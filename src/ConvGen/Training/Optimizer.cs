using System.Numerics.Tensors;

namespace ConvGen.Training;

/// <summary>
/// A first-order optimizer as an immutable value holding only hyperparameters; its moving averages live in an
/// <see cref="OptimizerState"/>. Each update is one pass over the flat parameter vector.
/// </summary>
public abstract record Optimizer
{
    /// <summary>The step size.</summary>
    public abstract float LearningRate { get; }

    /// <summary>A fresh state for <paramref name="parameterCount"/> parameters: step 0, moments at zero.</summary>
    public abstract OptimizerState CreateState(int parameterCount);

    /// <summary>Why these settings cannot train, or null when they can.</summary>
    public virtual string? Validate() =>
        float.IsFinite(LearningRate) && LearningRate > 0 ? null : $"{GetType().Name}: the learning rate must be a positive number, got {LearningRate}.";

    /// <summary>
    /// One step for callers driving their own loop: updates <paramref name="parameters"/> in place from
    /// <paramref name="gradients"/> (the same length) and advances <paramref name="state"/>, made by <see cref="CreateState"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ from each other or from the state's.</exception>
    public void Update(Span<float> parameters, ReadOnlySpan<float> gradients, OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (gradients.Length != parameters.Length || (state.First.Length != 0 && state.First.Length != parameters.Length))
        {
            throw new ArgumentException(
                $"{GetType().Name}: {parameters.Length} parameters, {gradients.Length} gradients and a state for {state.First.Length} must agree.",
                nameof(gradients));
        }

        Apply(parameters, gradients, state, LearningRate);
    }

    /// <summary>
    /// Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>, advancing <paramref name="state"/>,
    /// with <paramref name="learningRate"/> in place of <see cref="LearningRate"/> (a schedule's rate for this step).
    /// </summary>
    internal abstract void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, OptimizerState state, float learningRate);
}

/// <summary>
/// The moving averages and step count of an optimizer. A value a user holds is never changed: the training engine
/// works on its own copy (<see cref="Clone"/>) and hands out snapshots.
/// </summary>
public sealed class OptimizerState
{
    internal OptimizerState(int step, float[] first, float[] second)
    {
        Step = step;
        First = first;
        Second = second;
    }

    /// <summary>Updates applied so far.</summary>
    public int Step { get; internal set; }

    /// <summary>First moment (Adam) or momentum buffer (SGD); empty when unused.</summary>
    internal float[] First { get; }

    /// <summary>Second moment (Adam); empty when unused.</summary>
    internal float[] Second { get; }

    /// <summary>The first moment or momentum buffer, read-only.</summary>
    public ReadOnlySpan<float> FirstMoment => First;

    /// <summary>The second moment, read-only.</summary>
    public ReadOnlySpan<float> SecondMoment => Second;

    /// <summary>An independent copy.</summary>
    public OptimizerState Clone() => new(Step, (float[])First.Clone(), (float[])Second.Clone());

    /// <summary>Overwrites <paramref name="target"/>, a state of the same sizes, with this one, allocating nothing.</summary>
    internal void CopyTo(OptimizerState target)
    {
        target.Step = Step;
        First.CopyTo(target.First, 0);
        Second.CopyTo(target.Second, 0);
    }

    /// <summary>Whether every moment is a finite number.</summary>
    internal bool IsFinite() => AllFinite(First) && AllFinite(Second);

    /// <summary>Whether every value is finite; true for none (<see cref="TensorPrimitives.IsFiniteAll{T}"/> says false for an empty span).</summary>
    internal static bool AllFinite(ReadOnlySpan<float> values) => values.IsEmpty || TensorPrimitives.IsFiniteAll(values);
}
