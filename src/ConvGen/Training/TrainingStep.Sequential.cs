using ConvGen.Data;
using ConvGen.Layers;
using LanguageExt;

namespace ConvGen.Training;

/// <summary>The pure training step for networks composed at run time, exactly as for generated ones.</summary>
public static partial class TrainingStep
{
    /// <summary>
    /// Forward, <paramref name="loss"/> plus the optional <paramref name="l2Penalty"/>, backward and <paramref name="optimizer"/>'s
    /// update on every sample of <paramref name="batch"/>, with <paramref name="seed"/> deciding the dropout masks. A
    /// non-finite loss is an error and returns nothing new.
    /// </summary>
    public static Either<ConvGenError, (SequentialNetwork Model, OptimizerState State, float Loss)> Apply(
        SequentialNetwork model, OptimizerState state, Optimizer optimizer, Dataset batch, ulong seed = 0, TrainingLoss loss = TrainingLoss.CrossEntropy, float l2Penalty = 0f) =>
        Apply(model.Sequential.Definition, model, state, optimizer, batch, seed, loss, l2Penalty);
}
