using ConvGen.Data;
using ConvGen.Kernels;

namespace ConvGen.Training;

/// <summary>Measures a model on a data set in evaluation mode (dropout off).</summary>
public static partial class Evaluation
{
    /// <summary>Mean <paramref name="loss"/> (cross-entropy unless given) and accuracy of <paramref name="model"/> over <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data's sample shape or class count does not fit the network, or the loss its outputs.</exception>
    public static EvaluationResult Evaluate<TNet>(TNet model, Dataset data, int batchSize = 256, TrainingLoss loss = TrainingLoss.CrossEntropy)
        where TNet : class, INetwork<TNet> =>
        Evaluate(NetworkDefinition.Of<TNet>(), model, data, batchSize, loss);

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes.</summary>
    internal static EvaluationResult Evaluate<TNet>(NetworkDefinition<TNet> definition, TNet model, Dataset data, int batchSize, TrainingLoss loss)
        where TNet : class
    {
        string? problem = Trainer.CheckData(definition.Layout, data) ?? TargetLoss.Check(loss, definition.Layout, data);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(data));
        }

        // Batches as asked, unless a workspace that large cannot be held or would take over half the memory left.
        long fitting = RunMemory.AvailableBytes(collect: false) / 2 / RunMemory.WorkspaceBytesPerSample(definition.Layout);
        int capacity = (int)Math.Max(1, Math.Min(Math.Min(batchSize, data.Count), Math.Min(RunMemory.MaximumBatch(definition.Layout), fitting)));
        NetworkWorkspace workspace = definition.CreateInferenceWorkspace(capacity);
        int classes = definition.Layout.OutputSize, correct = 0;
        double lossSum = 0;
        int[] indices = new int[capacity], labels = new int[capacity];
        bool floatTargets = data.HasFloatTargets;
        int[] confusion = new int[floatTargets ? 0 : classes * classes];
        float[] oneHot = new float[ClassificationLoss.NeedsOneHot(loss) && !floatTargets ? capacity * classes : 0];
        float[] targets = new float[floatTargets ? capacity * classes : 0];
        long[] rightPerLabel = new long[floatTargets ? classes : 0];
        var tally = new PredictionTally(loss, floatTargets, classes, rightPerLabel: rightPerLabel);
        for (int start = 0; start < data.Count; start += capacity)
        {
            int count = Math.Min(capacity, data.Count - start);
            for (int i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }

            Trainer.Gather(data, indices.AsSpan(0, count), workspace.Input, labels, targets);
            workspace.Forward(definition.ParametersOf(model).Values, count, training: false, seed: 0);
            if (floatTargets)
            {
                lossSum += TargetLoss.Loss(loss, workspace.Output[..(count * classes)], targets.AsSpan(0, count * classes)) * count;
                tally.Add(workspace.Output, labels, targets, count);
                continue;
            }

            lossSum += ClassificationLoss.Loss(loss, workspace.Output, labels.AsSpan(0, count), oneHot, count, classes) * count;
            for (int n = 0; n < count; n++)
            {
                int predicted = Inference.ArgMax(workspace.Output.Slice(n * classes, classes));
                confusion[labels[n] * classes + predicted]++;
                correct += predicted == labels[n] ? 1 : 0;
            }
        }

        return floatTargets
            ? new EvaluationResult((float)(lossSum / data.Count), (int)tally.Right, (int)tally.Judged, new ConfusionMatrix(0, []))
            {
                MeanAbsoluteError = tally.MeanAbsoluteError,
                PerLabelAccuracy = tally.MeanAbsoluteError is null ? [.. rightPerLabel.Select(count => (float)count / data.Count)] : [],
            }
            : new EvaluationResult((float)(lossSum / data.Count), correct, data.Count, new ConfusionMatrix(classes, confusion));
    }
}
