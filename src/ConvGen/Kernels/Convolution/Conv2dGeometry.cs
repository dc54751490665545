namespace ConvGen.Kernels;

/// <summary>
/// The static shape of one 2-D convolution: per-sample input <c>C_in x H x W</c>, output <c>C_out x H' x W'</c>,
/// kernel, stride and padding per axis, and PyTorch's dilation and groups. The generator writes one per layer from the
/// shapes it inferred. Padding is what goes before (above, left); the output size fixes what goes after, so the
/// asymmetric padding of <c>padding="same"</c> with an even kernel is expressible (<see cref="Conv2dGeneral"/> runs it).
/// </summary>
public readonly record struct Conv2dGeometry(
    int InChannels, int InputHeight, int InputWidth,
    int OutChannels, int OutputHeight, int OutputWidth,
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int PaddingHeight, int PaddingWidth,
    int DilationHeight = 1, int DilationWidth = 1, int Groups = 1)
{
    /// <summary>
    /// A 1-D convolution, <c>(N, C_in, L) -> (N, C_out, L')</c> as <c>torch.nn.Conv1d</c>, as the 2-D one over <c>C x 1 x L</c>
    /// with a <c>1 x k</c> kernel: exact, since every tap then reads row 0 and the sums are the 1-D ones term by term.
    /// A <c>(C_out, C_in/groups, k)</c> weight is the <c>(C_out, C_in/groups, 1, k)</c> one, value for value.
    /// <paramref name="padding"/> is what goes before; the output length fixes what goes after.
    /// </summary>
    public static Conv2dGeometry Conv1d(
        int inChannels, int inputLength, int outChannels, int outputLength, int kernel, int stride, int padding, int dilation = 1, int groups = 1) =>
        new(inChannels, 1, inputLength, outChannels, 1, outputLength, 1, kernel, 1, stride, 0, padding, 1, dilation, groups);

    /// <summary>Whether only <see cref="Conv2dGeneral"/> runs this geometry: dilation or groups other than 1.</summary>
    public bool NeedsGeneralKernel => DilationHeight != 1 || DilationWidth != 1 || Groups != 1;

    /// <summary>Input channels each filter sees, <c>C_in/groups</c>.</summary>
    public int GroupInChannels => InChannels / Groups;

    /// <summary>Filters in each group, <c>C_out/groups</c>.</summary>
    public int GroupOutChannels => OutChannels / Groups;

    /// <summary>Values in one input sample, <c>C_in*H*W</c>.</summary>
    public int InputSize => InChannels * InputHeight * InputWidth;

    /// <summary>Values in one output sample, <c>C_out*H'*W'</c>.</summary>
    public int OutputSize => OutChannels * OutputHeight * OutputWidth;

    /// <summary>Rows of the unfolded (im2col) matrix: <c>C_in*kH*kW</c>, also the weight's row length.</summary>
    public int ColumnRows => InChannels * KernelHeight * KernelWidth;

    /// <summary>Columns of the unfolded matrix: one per output position, <c>H'*W'</c>.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>Weight values, OIHW: <c>C_out*(C_in/groups)*kH*kW</c>.</summary>
    public int WeightSize => OutChannels * GroupInChannels * KernelHeight * KernelWidth;
}
