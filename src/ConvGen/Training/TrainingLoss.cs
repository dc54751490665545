namespace ConvGen.Training;

/// <summary>
/// The loss a classifier trains with. What the network's last layer gives decides it, as notebook 002 pairs them:
/// logits with cross-entropy (or a sigmoid per class with BCE on logits), log-probabilities with NLL, probabilities with BCE.
/// The data's class labels are the targets: the class-index losses take them as they are, the element-wise ones compare
/// each output row with the label's one-hot row. Every loss is the mean, PyTorch's default reduction.
/// </summary>
public enum TrainingLoss
{
    /// <summary>Logits in: <see cref="Kernels.CrossEntropy"/>, softmax and log in one stable step. The default.</summary>
    CrossEntropy,

    /// <summary>Log-probabilities in, from a network ending in LogSoftmax: <see cref="Kernels.NllLoss"/>.</summary>
    Nll,

    /// <summary>Logits in, an independent sigmoid per class against the one-hot label: <see cref="Kernels.BceWithLogitsLoss"/>, the mean over N x classes.</summary>
    BceWithLogits,

    /// <summary>Probabilities in, from a network ending in Sigmoid or Softmax, against the one-hot label: <see cref="Kernels.BceLoss"/>, the mean over N x classes.</summary>
    Bce,

    /// <summary>The squared distance of the outputs from the one-hot label: <see cref="Kernels.MseLoss"/>, the mean over N x classes.</summary>
    Mse,
}
