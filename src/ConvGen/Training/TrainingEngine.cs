using ConvGen.Kernels;

namespace ConvGen.Training;

/// <summary>
/// The engine room of a run: a private, mutable copy of the parameters, their gradients, the optimizer state and
/// one workspace, reused by every step so that a step allocates nothing. Nothing here escapes to the user except
/// through <see cref="Snapshot"/>, which copies. The optimizer sees only the trainable prefix of the parameters; the
/// buffers after it (BatchNorm's running statistics) take each step's forward-pass update instead.
/// </summary>
internal sealed class TrainingEngine<TNet>
    where TNet : class, INetwork<TNet>
{
    private readonly float[] parameters;
    private readonly float[] gradients;
    private readonly Optimizer optimizer;
    private readonly OptimizerState state;
    private readonly NetworkWorkspace workspace;
    private readonly int classes;
    private readonly int trainableCount;

    public TrainingEngine(TNet model, Optimizer optimizer, OptimizerState state, int batchCapacity)
    {
        parameters = model.Parameters.Values.ToArray();
        gradients = new float[parameters.Length];
        this.optimizer = optimizer;
        this.state = state.Clone();
        workspace = TNet.CreateWorkspace(batchCapacity);
        classes = TNet.Layout.OutputSize;
        trainableCount = TNet.Layout.TrainableCount;
    }

    /// <summary>Where the caller writes the next batch's pixels.</summary>
    public Span<float> Input => workspace.Input;

    /// <summary>The logits of the last forward pass.</summary>
    public ReadOnlySpan<float> Output => workspace.Output;

    /// <summary>
    /// One training step on the batch already in <see cref="Input"/>: forward, cross-entropy, backward, update.
    /// Returns the batch's mean loss; a loss that is not finite leaves the parameters and buffers untouched.
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
        optimizer.Apply(parameters.AsSpan(0, trainableCount), gradients.AsSpan(0, trainableCount), state);
        workspace.UpdatedBuffers.CopyTo(parameters.AsSpan(trainableCount));
        return loss;
    }

    /// <summary>The current parameters as a new immutable model.</summary>
    public TNet Snapshot() => TNet.FromParameters(ParameterSet.Create(TNet.Layout.Parameters, parameters));

    /// <summary>A copy of the optimizer state.</summary>
    public OptimizerState SnapshotState() => state.Clone();
}
