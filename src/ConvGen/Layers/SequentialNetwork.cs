namespace ConvGen.Layers;

/// <summary>
/// A <see cref="Sequential"/> with its learned values: the model value that <c>Trainer.Fit</c>, <c>TrainingStep.Apply</c>,
/// <c>Evaluation.Evaluate</c>, <c>Predict</c> and <c>Checkpoint</c> take, as they take a generated network record.
/// Immutable: training returns a new one.
/// </summary>
public sealed record SequentialNetwork
{
    private readonly ParameterSet parameters;

    internal SequentialNetwork(Sequential sequential, ParameterSet parameters)
    {
        Sequential = sequential;
        this.parameters = sequential.Layout.CheckParameters(parameters);
    }

    /// <summary>The layers and shapes.</summary>
    public Sequential Sequential { get; }

    /// <summary>The network as a graph of named layer values: <see cref="Sequential.Architecture"/>.</summary>
    public Architecture Architecture => Sequential.Architecture;

    /// <summary>All learned values, in PyTorch <c>state_dict()</c> order; replacing them checks their layout.</summary>
    public ParameterSet Parameters
    {
        get => parameters;
        init => parameters = Sequential.Layout.CheckParameters(value);
    }
}
