namespace ConvGen.Layers;

/// <summary>
/// A <see cref="Sequential"/> with its learned values: the model value that <c>Trainer.Fit</c>, <c>TrainingStep.Apply</c>,
/// <c>Evaluation.Evaluate</c>, <c>Predict</c> and <c>Checkpoint</c> take, as they take a generated network record.
/// Immutable: training returns a new one.
/// </summary>
public sealed record SequentialNetwork
{
    private readonly ParameterSet parameters;

    internal SequentialNetwork(Sequential architecture, ParameterSet parameters)
    {
        Architecture = architecture;
        this.parameters = architecture.Layout.CheckParameters(parameters);
    }

    /// <summary>The layers and shapes.</summary>
    public Sequential Architecture { get; }

    /// <summary>All learned values, in PyTorch <c>state_dict()</c> order; replacing them checks their layout.</summary>
    public ParameterSet Parameters
    {
        get => parameters;
        init => parameters = Architecture.Layout.CheckParameters(value);
    }
}
