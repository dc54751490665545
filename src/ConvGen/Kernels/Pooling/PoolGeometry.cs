namespace ConvGen.Kernels;

/// <summary>
/// The static shape of one 2-D pooling layer over <c>H x W</c> planes: window, stride and padding per axis, and for
/// average pooling whether the padding counts in the divisor (PyTorch's <c>count_include_pad</c>, true by default).
/// Channels do not mix, so kernels see <c>N*C</c> independent planes.
/// </summary>
public readonly record struct PoolGeometry(
    int InputHeight, int InputWidth,
    int OutputHeight, int OutputWidth,
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth,
    bool CountIncludePad = true)
{
    /// <summary>Values in one input plane.</summary>
    public int InputPlane => InputHeight * InputWidth;

    /// <summary>Values in one output plane.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;
}
