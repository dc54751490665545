using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.TorchSharp;

/// <summary>Loss, accuracy and confusion over a dataset in evaluation mode, as the managed <c>Evaluation</c> computes them from torch's outputs.</summary>
internal static class TorchEvaluation
{
    public static EvaluationResult Evaluate<TNet>(TorchEngine<TNet> engine, Dataset data, int batchSize, TrainingLoss loss)
        where TNet : class
    {
        int capacity = Math.Min(batchSize, data.Count), classes = engine.Layout.OutputSize, correct = 0;
        int[] indices = new int[capacity], labels = new int[capacity], confusion = new int[classes * classes];
        float[] images = new float[capacity * data.SampleSize];
        float[] oneHot = new float[ClassificationLoss.NeedsOneHot(loss) ? capacity * classes : 0];
        double lossSum = 0;
        for (int start = 0; start < data.Count; start += capacity)
        {
            int count = Math.Min(capacity, data.Count - start);
            for (int i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }

            Trainer.Gather(data, indices.AsSpan(0, count), images, labels);
            float[] outputs = engine.Forward(images, count);
            // The managed loss kernels on torch's outputs: the same numbers as Evaluation reports for the same outputs.
            lossSum += ClassificationLoss.Loss(loss, outputs, labels.AsSpan(0, count), oneHot, count, classes) * count;
            for (int n = 0; n < count; n++)
            {
                int predicted = Inference.ArgMax(outputs.AsSpan(n * classes, classes));
                confusion[labels[n] * classes + predicted]++;
                correct += predicted == labels[n] ? 1 : 0;
            }
        }

        return new EvaluationResult((float)(lossSum / data.Count), correct, data.Count, new ConfusionMatrix(classes, confusion));
    }
}
