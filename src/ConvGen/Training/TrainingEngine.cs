using ConvGen.Kernels;

namespace ConvGen.Training;

/// <summary>
/// The engine room of a run: a private, mutable copy of the parameters, their gradients, the optimizer state and
/// one workspace, reused by every step so that a step allocates nothing. Nothing here escapes to the user except
/// through <see cref="Snapshot"/>, which copies.
/// </summary>
internal sealed class TrainingEngine<TNet>
    where TNet : class
{
    private readonly NetworkDefinition<TNet> definition;
    private readonly float[] parameters;
    private readonly float[] gradients;
    private readonly Optimizer optimizer;
    private readonly OptimizerState state;
    private readonly NetworkWorkspace workspace;
    private readonly int classes;

    public TrainingEngine(NetworkDefinition<TNet> definition, TNet model, Optimizer optimizer, OptimizerState state, int batchCapacity)
    {
        this.definition = definition;
        parameters = definition.ParametersOf(model).Values.ToArray();
        gradients = new float[parameters.Length];
        this.optimizer = optimizer;
        this.state = state.Clone();
        workspace = definition.CreateWorkspace(batchCapacity);
        classes = definition.Layout.OutputSize;
    }

    /// <summary>Where the caller writes the next batch's pixels.</summary>
    public Span<float> Input => workspace.Input;

    /// <summary>The layout of the network being trained.</summary>
    public NetworkLayout Layout => definition.Layout;

    /// <summary>Makes the batch <paramref name="batches"/> gathered the next step's input and hands it the spent buffers to fill.</summary>
    public void TakeBatch(BatchPrefetcher batches, ref int[] labels) => batches.Take(workspace, ref labels);

    /// <summary>The logits of the last forward pass.</summary>
    public ReadOnlySpan<float> Output => workspace.Output;

    /// <summary>
    /// One training step on the batch already in <see cref="Input"/>: forward, cross-entropy, backward, update.
    /// Returns the batch's mean loss; a loss that is not finite leaves the parameters untouched.
    /// </summary>
    public float Step(ReadOnlySpan<int> labels, int batch, ulong seed)
    {
        workspace.Forward(parameters, batch, training: true, seed);
        float loss = CrossEntropy.LossAndGradient(workspace.Output, labels, workspace.OutputGradient, batch, classes);
        if (!float.IsFinite(loss))
        {
            return loss;
        }

        workspace.Backward(parameters, batch, gradients);
        optimizer.Apply(parameters, gradients, state);
        return loss;
    }

    /// <summary>The current parameters as a new immutable model.</summary>
    public TNet Snapshot() => definition.FromParameters(ParameterSet.Create(definition.Layout.Parameters, parameters));

    /// <summary>A copy of the optimizer state.</summary>
    public OptimizerState SnapshotState() => state.Clone();
}
