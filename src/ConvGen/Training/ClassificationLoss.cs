using ConvGen.Kernels;

namespace ConvGen.Training;

/// <summary>A <see cref="TrainingLoss"/> on a batch of network outputs <c>(N, classes)</c> with class labels <c>(N)</c>, mean-reduced.</summary>
internal static class ClassificationLoss
{
    /// <summary>Whether <paramref name="loss"/> compares with one-hot rows, which need a buffer of N x classes values.</summary>
    public static bool NeedsOneHot(TrainingLoss loss) => loss is TrainingLoss.BceWithLogits or TrainingLoss.Bce or TrainingLoss.Mse;

    /// <summary>Why <paramref name="loss"/> cannot train <paramref name="layout"/>'s outputs, or null when it can.</summary>
    public static string? Check(TrainingLoss loss, NetworkLayout layout)
    {
        string last = layout.Layers.IsEmpty ? "its input" : layout.Layers[^1].Kind;
        return loss switch
        {
            TrainingLoss.CrossEntropy or TrainingLoss.BceWithLogits or TrainingLoss.Mse => null,
            TrainingLoss.Nll when last != "LogSoftmax" =>
                $"TrainingLoss.Nll takes log-probabilities, but {layout.NetworkName} ends in {last}, not LogSoftmax; use TrainingLoss.CrossEntropy on its logits.",
            TrainingLoss.Bce when last is not ("Sigmoid" or "Softmax") =>
                $"TrainingLoss.Bce takes probabilities, but {layout.NetworkName} ends in {last}, not Sigmoid or Softmax; use TrainingLoss.BceWithLogits on its logits.",
            TrainingLoss.Nll or TrainingLoss.Bce => null,
            _ => $"The training loss {(int)loss} is not one of {string.Join(", ", Enum.GetNames<TrainingLoss>())}.",
        };
    }

    /// <summary>
    /// The mean loss of the first <paramref name="batch"/> rows of <paramref name="output"/>, and its gradient into
    /// <paramref name="outputGradient"/>. <paramref name="oneHot"/> is scratch for the element-wise losses' targets.
    /// </summary>
    public static float LossAndGradient(
        TrainingLoss loss, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, Span<float> outputGradient, Span<float> oneHot, int batch, int classes)
    {
        int values = batch * classes;
        ReadOnlySpan<float> rows = output[..values];
        return loss switch
        {
            TrainingLoss.CrossEntropy => CrossEntropy.LossAndGradient(output, labels, outputGradient, batch, classes),
            TrainingLoss.Nll => NllLoss.LossAndGradient(output, labels, outputGradient, batch, classes),
            _ => TargetLoss.LossAndGradient(loss, rows, OneHot(labels, oneHot, batch, classes), outputGradient),
        };
    }

    /// <summary>
    /// The mean loss of the first <paramref name="batch"/> rows of <paramref name="output"/> alone, for evaluation: the
    /// value <see cref="LossAndGradient"/> returns, with no gradient computed. <paramref name="oneHot"/> is as there.
    /// </summary>
    public static float Loss(TrainingLoss loss, ReadOnlySpan<float> output, ReadOnlySpan<int> labels, Span<float> oneHot, int batch, int classes)
    {
        ReadOnlySpan<float> rows = output[..(batch * classes)];
        return loss switch
        {
            TrainingLoss.CrossEntropy => CrossEntropy.Loss(output, labels, batch, classes),
            TrainingLoss.Nll => NllLoss.Loss(output, labels, batch, classes),
            _ => TargetLoss.Loss(loss, rows, OneHot(labels, oneHot, batch, classes)),
        };
    }

    private static ReadOnlySpan<float> OneHot(ReadOnlySpan<int> labels, Span<float> rows, int batch, int classes)
    {
        Span<float> target = rows[..(batch * classes)];
        target.Clear();
        for (int n = 0; n < batch; n++)
        {
            int label = labels[n];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {label} of sample {n} is outside the {classes} classes 0..{classes - 1}.");
            }

            target[n * classes + label] = 1f;
        }

        return target;
    }
}
