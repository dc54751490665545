using ConvGen.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Training;

/// <summary>
/// One training step as a pure function: <c>(model, optimizer state, batch) -> (model', state', loss)</c>. Nothing
/// passed in changes; the results are new values. <see cref="Trainer"/> runs the same step in place over a whole
/// run, which is what makes its steps allocation-free; this form is for composing steps by hand.
/// </summary>
public static partial class TrainingStep
{
    /// <summary>
    /// Forward, <paramref name="loss"/> (cross-entropy by default) plus the optional <paramref name="l2Penalty"/>, backward and
    /// <paramref name="optimizer"/>'s update on every sample of <paramref name="batch"/>, with <paramref name="seed"/> deciding
    /// the dropout masks: the step <see cref="Trainer"/> takes with the same <see cref="TrainingOptions.Loss"/> and
    /// <see cref="TrainingOptions.L2Penalty"/>. The returned loss includes the penalty. A non-finite loss, or an update that
    /// leaves a non-finite value, is an error and returns nothing new; so are non-finite pixels or parameters going in.
    /// </summary>
    public static Either<ConvGenError, (TNet Model, OptimizerState State, float Loss)> Apply<TNet>(
        TNet model, OptimizerState state, Optimizer optimizer, Dataset batch, ulong seed = 0, TrainingLoss loss = TrainingLoss.CrossEntropy, float l2Penalty = 0f)
        where TNet : class, INetwork<TNet> =>
        Apply(NetworkDefinition.Of<TNet>(), model, state, optimizer, batch, seed, loss, l2Penalty);

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes.</summary>
    internal static Either<ConvGenError, (TNet Model, OptimizerState State, float Loss)> Apply<TNet>(
        NetworkDefinition<TNet> definition, TNet model, OptimizerState state, Optimizer optimizer, Dataset batch, ulong seed, TrainingLoss loss, float l2Penalty)
        where TNet : class
    {
        NetworkLayout layout = definition.Layout;
        string? problem = optimizer.Validate() ?? TrainingOptions.CheckL2Penalty(l2Penalty) ?? TargetLoss.Check(loss, layout, batch) ?? Trainer.CheckData(layout, batch)
            ?? (state.First.Length is not 0 && state.First.Length != layout.TrainableCount
                ? $"The optimizer state is for {state.First.Length} parameters but {layout.NetworkName} has {layout.TrainableCount} trainable ones."
                : null)
            ?? BatchStatistics.CheckBatch(layout, batch.Count)
            ?? Trainer.CheckFinite(batch) ?? Trainer.CheckFinite(layout, definition.ParametersOf(model))
            ?? RunMemory.CheckTraining(layout, batch.Count, optimizer, validationCount: 0, collect: false);
        if (problem is not null)
        {
            return Left<ConvGenError, (TNet, OptimizerState, float)>(new ConvGenError(problem));
        }

        var engine = new TrainingEngine<TNet>(definition, model, optimizer, state, batch.Count, loss, l2Penalty, batch.HasFloatTargets);
        int[] labels = batch.Labels.ToArray();
        batch.Images.CopyTo(engine.Input);
        batch.Targets.CopyTo(engine.Targets);
        (float value, StepOutcome outcome) = engine.Step(labels, batch.Count, seed, optimizer.LearningRate);
        return outcome switch
        {
            StepOutcome.Taken => Right<ConvGenError, (TNet, OptimizerState, float)>((engine.Snapshot(), engine.SnapshotState(), value)),
            StepOutcome.LossNotFinite => Left<ConvGenError, (TNet, OptimizerState, float)>(new ConvGenError($"The loss of this batch is {value}; the step was not taken.")),
            _ => Left<ConvGenError, (TNet, OptimizerState, float)>(new ConvGenError(
                $"The loss of this batch is {value} but the update made values of the model non-finite; the step was not taken.")),
        };
    }
}
