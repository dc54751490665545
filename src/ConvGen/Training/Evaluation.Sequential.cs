using ConvGen.Data;
using ConvGen.Layers;

namespace ConvGen.Training;

/// <summary>Evaluation of networks composed at run time, exactly as of generated ones.</summary>
public static partial class Evaluation
{
    /// <summary>Mean <paramref name="loss"/> (cross-entropy unless given) and accuracy of <paramref name="model"/> over <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data's sample shape or class count does not fit the network, or the loss its outputs.</exception>
    public static EvaluationResult Evaluate(SequentialNetwork model, Dataset data, int batchSize = 256, TrainingLoss loss = TrainingLoss.CrossEntropy) =>
        Evaluate(model.Sequential.Definition, model, data, batchSize, loss);
}
