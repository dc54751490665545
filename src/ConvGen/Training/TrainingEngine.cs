using ConvGen.Kernels;

namespace ConvGen.Training;

/// <summary>
/// The engine room of a run: a private, mutable copy of the parameters, their gradients, the optimizer state and
/// one workspace, reused by every step so that a step allocates nothing. Nothing here escapes to the user except
/// through <see cref="Snapshot"/>, which copies. The optimizer sees only the trainable prefix of the parameters; the
/// buffers after it (BatchNorm's running statistics) take each step's forward-pass update instead.
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
    private readonly TrainingLoss loss;
    private readonly float l2Penalty;
    private readonly float[] oneHot;
    private readonly int trainableCount;

    public TrainingEngine(
        NetworkDefinition<TNet> definition, TNet model, Optimizer optimizer, OptimizerState state, int batchCapacity, TrainingLoss loss = TrainingLoss.CrossEntropy, float l2Penalty = 0f)
    {
        this.definition = definition;
        parameters = definition.ParametersOf(model).Values.ToArray();
        gradients = new float[parameters.Length];
        this.optimizer = optimizer;
        this.state = state.Clone();
        workspace = definition.CreateWorkspace(batchCapacity);
        classes = definition.Layout.OutputSize;
        this.loss = loss;
        this.l2Penalty = l2Penalty;
        oneHot = ClassificationLoss.NeedsOneHot(loss) ? new float[batchCapacity * classes] : [];
        trainableCount = definition.Layout.TrainableCount;
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
    /// One training step on the batch already in <see cref="Input"/>: forward, loss, backward, L2 penalty, update.
    /// Returns the batch's mean loss, penalty included; a loss that is not finite leaves the parameters and buffers untouched.
    /// </summary>
    public float Step(ReadOnlySpan<int> labels, int batch, ulong seed)
    {
        workspace.Forward(parameters, batch, training: true, seed);
        float value = ClassificationLoss.LossAndGradient(loss, workspace.Output, labels, workspace.OutputGradient, oneHot, batch, classes);
        if (!float.IsFinite(value))
        {
            return value;
        }

        workspace.Backward(parameters, batch, gradients);
        Span<float> trainable = parameters.AsSpan(0, trainableCount), trainableGradients = gradients.AsSpan(0, trainableCount);
        if (l2Penalty > 0f)
        {
            // The penalty is on learned values only: running statistics are not parameters in PyTorch either.
            value += L2Penalty.AddTo(trainable, trainableGradients, l2Penalty);
        }

        optimizer.Apply(trainable, trainableGradients, state);
        workspace.UpdatedBuffers.CopyTo(parameters.AsSpan(trainableCount));
        return value;
    }

    /// <summary>The current parameters as a new immutable model.</summary>
    public TNet Snapshot() => definition.FromParameters(ParameterSet.Create(definition.Layout.Parameters, parameters));

    /// <summary>A copy of the optimizer state.</summary>
    public OptimizerState SnapshotState() => state.Clone();
}
