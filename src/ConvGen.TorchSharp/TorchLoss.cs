using ConvGen.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ConvGen.TorchSharp;

/// <summary>The training losses as torch computes them, each the mean the managed kernels take (one-hot targets for the element-wise ones).</summary>
internal static class TorchLoss
{
    /// <summary>The mean loss of <paramref name="output"/> <c>(N, classes)</c> against class indices <paramref name="labels"/> <c>(N)</c>, int64.</summary>
    public static Tensor Of(TrainingLoss loss, Tensor output, Tensor labels) => loss switch
    {
        TrainingLoss.CrossEntropy => functional.cross_entropy(output, labels),
        TrainingLoss.Nll => functional.nll_loss(output, labels),
        TrainingLoss.BceWithLogits => functional.binary_cross_entropy_with_logits(output, OneHot(output, labels)),
        TrainingLoss.Bce => functional.binary_cross_entropy(output, OneHot(output, labels)),
        TrainingLoss.Mse => functional.mse_loss(output, OneHot(output, labels)),
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Checked by ClassificationLoss.Check before any step."),
    };

    private static Tensor OneHot(Tensor output, Tensor labels) => functional.one_hot(labels, output.shape[1]).to(output.dtype);
}
