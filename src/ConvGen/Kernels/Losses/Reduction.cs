namespace ConvGen.Kernels;

/// <summary>How a loss combines its terms (samples for class-index losses, elements for element-wise ones), as PyTorch's <c>reduction</c>.</summary>
public enum Reduction
{
    /// <summary>The mean over the terms, PyTorch's default.</summary>
    Mean,

    /// <summary>The sum over the terms.</summary>
    Sum,

    /// <summary>One loss per term, written to the caller's span; the gradient then needs an upstream gradient per term.</summary>
    None,
}
