using System.Globalization;
using ConvGen.Data;
using ConvGen.Kernels;

namespace ConvGen.Training;

/// <summary>
/// A <see cref="TrainingLoss"/> against float targets <c>(N, outputs)</c>, compared element by element with the network's
/// outputs and mean-reduced over <c>N x outputs</c>, as <c>nn.MSELoss()</c>, <c>nn.BCEWithLogitsLoss()</c> and <c>nn.BCELoss()</c>
/// reduce a batch from a <c>TensorDataset</c>; and the checks that a data set's targets fit the loss and the network.
/// </summary>
internal static class TargetLoss
{
    /// <summary>
    /// Why <paramref name="loss"/> cannot train <paramref name="layout"/> on <paramref name="train"/> and validate on
    /// <paramref name="validation"/>, or null when it can: the loss must fit the last layer, and float targets need an
    /// element-wise loss, one target per output, values in [0, 1] for binary cross-entropy, and the same kind of target in both sets.
    /// </summary>
    public static string? Check(TrainingLoss loss, NetworkLayout layout, Dataset train, Dataset? validation) =>
        Check(loss, layout, train) ?? (validation is null ? null
            : validation.HasFloatTargets != train.HasFloatTargets
                ? $"{train.Name} holds {KindOfTarget(train)} but {validation.Name} holds {KindOfTarget(validation)}; validate on the kind of target the model trains on."
                : Check(loss, layout, validation));

    /// <summary>As the other overload, for one data set.</summary>
    public static string? Check(TrainingLoss loss, NetworkLayout layout, Dataset data)
    {
        string? fits = ClassificationLoss.Check(loss, layout);
        if (fits is not null || !data.HasFloatTargets)
        {
            return fits;
        }

        if (data.TargetSize != layout.OutputSize)
        {
            return $"{data.Name}: has {data.TargetSize} targets per sample but {layout.NetworkName} produces {layout.OutputSize} outputs; each output is compared with one target.";
        }

        return loss switch
        {
            TrainingLoss.CrossEntropy or TrainingLoss.Nll =>
                $"{data.Name}: holds float targets, but TrainingLoss.{loss} takes class labels; train float targets with TrainingLoss.Mse (values to regress) or TrainingLoss.BceWithLogits (a 0 or 1 per label).",
            TrainingLoss.BceWithLogits or TrainingLoss.Bce => OutsideUnitInterval(data, loss),
            _ => null,
        };
    }

    /// <summary>Why a back end that trains on class labels only cannot take <paramref name="data"/>, or null when it holds class labels.</summary>
    public static string? ClassLabelsOnly(Dataset data, string backend) => data.HasFloatTargets
        ? $"{data.Name}: holds float targets, which {backend} does not train or evaluate yet; use Trainer.Fit and Evaluation.Evaluate, which do."
        : null;

    /// <summary>The mean loss of <paramref name="output"/> against <paramref name="targets"/> (the same length), and its gradient into <paramref name="outputGradient"/>.</summary>
    public static float LossAndGradient(TrainingLoss loss, ReadOnlySpan<float> output, ReadOnlySpan<float> targets, Span<float> outputGradient) => loss switch
    {
        TrainingLoss.BceWithLogits => BceWithLogitsLoss.LossAndGradient(output, targets, outputGradient),
        TrainingLoss.Bce => BceLoss.LossAndGradient(output, targets, outputGradient),
        _ => MseLoss.LossAndGradient(output, targets, outputGradient),
    };

    /// <summary>The value <see cref="LossAndGradient"/> returns, with no gradient computed.</summary>
    public static float Loss(TrainingLoss loss, ReadOnlySpan<float> output, ReadOnlySpan<float> targets) => loss switch
    {
        TrainingLoss.BceWithLogits => BceWithLogitsLoss.Loss(output, targets),
        TrainingLoss.Bce => BceLoss.Loss(output, targets),
        _ => MseLoss.Loss(output, targets),
    };

    private static string KindOfTarget(Dataset data) => data.HasFloatTargets ? $"{data.TargetSize} float targets per sample" : "class labels";

    private static string? OutsideUnitInterval(Dataset data, TrainingLoss loss)
    {
        ReadOnlySpan<float> targets = data.Targets;
        int bad = targets.IndexOfAnyExceptInRange(0f, 1f);
        return bad < 0 ? null : string.Create(
            CultureInfo.InvariantCulture,
            $"{data.Name}: sample {bad / data.TargetSize} has target {targets[bad]} at index {bad % data.TargetSize}, but TrainingLoss.{loss} takes targets in [0, 1] (1 where a label applies).");
    }
}
