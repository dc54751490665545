namespace ConvGen.Shapes;

/// <summary>
/// The output-size formulas the generator checks at compile time, for run-time use: the same code, so the two
/// cannot disagree. Each returns the size along one axis.
/// </summary>
public static class OutputSize
{
    /// <summary>
    /// Convolution along one axis: <c>floor((n + 2p - d*(k-1) - 1) / s) + 1</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The kernel does not fit the padded input, or a size is out of range.</exception>
    public static int Convolution(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1) =>
        Checked(ShapeRules.ConvolutionOutputSize(input, kernel, RequirePositive(stride, nameof(stride)), padding, RequirePositive(dilation, nameof(dilation))), input, kernel, padding);

    /// <summary>Max or average pooling along one axis, PyTorch's floor or ceil mode; the stride defaults to the kernel.</summary>
    /// <exception cref="ArgumentException">The window does not fit, the padding exceeds half the kernel, or a size is out of range.</exception>
    public static int Pooling(int input, int kernel, int? stride = null, int padding = 0, bool ceilMode = false)
    {
        if (!ShapeRules.IsPoolingPaddingValid(kernel, padding))
        {
            throw new ArgumentException($"Pooling padding {padding} exceeds half the kernel {kernel}.", nameof(padding));
        }

        int step = RequirePositive(stride ?? kernel, nameof(stride));
        return Checked(ShapeRules.PoolingOutputSize(input, kernel, step, padding, ceilMode: ceilMode), input, kernel, padding);
    }

    private static int RequirePositive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"The {name} must be at least 1.");

    private static int Checked(long output, int input, int kernel, int padding) =>
        output >= 1 && output <= int.MaxValue
            ? (int)output
            : throw new ArgumentException($"A kernel of {kernel} does not fit an input of {input} padded by {padding} on each side (output size {output}).");
}
