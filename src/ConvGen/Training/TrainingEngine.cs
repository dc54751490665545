using ConvGen.Kernels;

namespace ConvGen.Training;

/// <summary>How a step ended: its loss, and whether the model it leaves behind is finite.</summary>
/// <param name="Loss">The batch's mean loss, penalty included.</param>
/// <param name="Outcome">Whether the update was applied, or why not.</param>
internal readonly record struct StepResult(float Loss, StepOutcome Outcome);

/// <summary>What a step did to the model.</summary>
internal enum StepOutcome
{
    /// <summary>The loss was finite and the update left every value finite: the step was taken.</summary>
    Taken,

    /// <summary>The loss was not finite: nothing was changed (the model is the one that gave that loss).</summary>
    LossNotFinite,

    /// <summary>The loss was finite but the update made a value non-finite: the step was undone.</summary>
    UpdateNotFinite,
}

/// <summary>
/// The engine room of a run: a private, mutable copy of the parameters, their gradients, the optimizer state and
/// one workspace, reused by every step so that a step allocates nothing. Nothing here escapes to the user except
/// through <see cref="Snapshot"/>, which copies. The optimizer sees only the trainable prefix of the parameters; the
/// buffers after it (BatchNorm's running statistics) take each step's forward-pass update instead.
/// A copy of the parameters and optimizer state each step started from is kept, so that a step whose update leaves
/// a non-finite value, or whose successor's loss is not finite, can be undone (<see cref="RestorePrevious"/>).
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
    private readonly bool floatTargets;
    private float[] targets;
    private readonly int trainableCount;
    private readonly float[] previousParameters;
    private readonly OptimizerState previousState;

    public TrainingEngine(
        NetworkDefinition<TNet> definition, TNet model, Optimizer optimizer, OptimizerState state, int batchCapacity, TrainingLoss loss = TrainingLoss.CrossEntropy, float l2Penalty = 0f,
        bool floatTargets = false)
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
        oneHot = ClassificationLoss.NeedsOneHot(loss) && !floatTargets ? new float[batchCapacity * classes] : [];
        this.floatTargets = floatTargets;
        targets = floatTargets ? new float[batchCapacity * classes] : [];
        trainableCount = definition.Layout.TrainableCount;
        previousParameters = (float[])parameters.Clone();
        previousState = this.state.Clone();
    }

    /// <summary>Where the caller writes the next batch's pixels.</summary>
    public Span<float> Input => workspace.Input;

    /// <summary>The layout of the network being trained.</summary>
    public NetworkLayout Layout => definition.Layout;

    /// <summary>What the network being trained is.</summary>
    public NetworkDefinition<TNet> Definition => definition;

    /// <summary>Makes the batch <paramref name="batches"/> gathered the next step's input and hands it the spent buffers to fill.</summary>
    public void TakeBatch(BatchPrefetcher batches, ref int[] labels) => batches.Take(workspace, ref labels, ref targets);

    /// <summary>The float targets of the batch in <see cref="Input"/>, <c>(N, outputs)</c>, for a data set that has them; empty otherwise.</summary>
    public Span<float> Targets => targets;

    /// <summary>The logits of the last forward pass.</summary>
    public ReadOnlySpan<float> Output => workspace.Output;

    /// <summary>
    /// One training step on the batch already in <see cref="Input"/>: forward, loss, backward, L2 penalty, update.
    /// A loss that is not finite leaves the parameters, buffers and state untouched; an update that makes any of them
    /// non-finite is undone. Either way the model is then the one this step started from. The update uses
    /// <paramref name="learningRate"/>: the optimizer's own rate, or the schedule's for this step.
    /// </summary>
    public StepResult Step(ReadOnlySpan<int> labels, int batch, ulong seed, float learningRate)
    {
        workspace.Forward(parameters, batch, training: true, seed);
        float value = floatTargets
            ? TargetLoss.LossAndGradient(loss, workspace.Output[..(batch * classes)], targets.AsSpan(0, batch * classes), workspace.OutputGradient)
            : ClassificationLoss.LossAndGradient(loss, workspace.Output, labels, workspace.OutputGradient, oneHot, batch, classes);
        if (!float.IsFinite(value))
        {
            return new StepResult(value, StepOutcome.LossNotFinite);
        }

        workspace.Backward(parameters, batch, gradients);
        Span<float> trainable = parameters.AsSpan(0, trainableCount), trainableGradients = gradients.AsSpan(0, trainableCount);
        if (l2Penalty > 0f)
        {
            // The penalty is on learned values only: running statistics are not parameters in PyTorch either.
            value += L2Penalty.AddTo(trainable, trainableGradients, l2Penalty);
            if (!float.IsFinite(value))
            {
                return new StepResult(value, StepOutcome.LossNotFinite);
            }
        }

        // The model this step starts from is finite and has a finite loss: it is what a divergence falls back to.
        parameters.CopyTo(previousParameters);
        state.CopyTo(previousState);
        optimizer.Apply(trainable, trainableGradients, state, learningRate);
        workspace.UpdatedBuffers.CopyTo(parameters.AsSpan(trainableCount));
        if (!OptimizerState.AllFinite(parameters) || !state.IsFinite())
        {
            RestorePrevious();
            return new StepResult(value, StepOutcome.UpdateNotFinite);
        }

        return new StepResult(value, StepOutcome.Taken);
    }

    /// <summary>
    /// Goes back to the parameters and optimizer state the last taken step started from (the starting model before any
    /// step): the model to keep when the loss of the current one is not finite.
    /// </summary>
    public void RestorePrevious()
    {
        previousParameters.CopyTo(parameters, 0);
        previousState.CopyTo(state);
    }

    /// <summary>The current parameters as a new immutable model.</summary>
    public TNet Snapshot() => definition.FromParameters(ParameterSet.Create(definition.Layout.Parameters, parameters));

    /// <summary>A copy of the optimizer state.</summary>
    public OptimizerState SnapshotState() => state.Clone();
}
