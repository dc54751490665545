// The layer vocabulary a network declaration uses. Each attribute only records hyperparameters:
// the generator reads them from source, checks shapes and emits code; nothing reads them by reflection.
namespace ConvGen;

/// <summary>Base of every layer attribute. <see cref="Name"/> overrides the PyTorch-style name (<c>conv1</c>, <c>fc2</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>The layer's name in summaries and checkpoint keys; default: kind and ordinal, e.g. <c>conv2</c>.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// What 1-D and 2-D convolutions share, with PyTorch's names and defaults: filters, kernel, stride, padding (or a padding
/// mode), dilation, groups and bias.
/// </summary>
/// <param name="outChannels">C_out, the number of filters.</param>
public abstract class ConvolutionAttribute(int outChannels) : LayerAttribute
{
    /// <summary>C_out, the number of filters.</summary>
    public int OutChannels { get; } = outChannels;

    /// <summary>C_in if declared; inferred from the previous layer otherwise, and checked when given.</summary>
    public int InChannels { get; set; }

    /// <summary>Kernel size (square for <see cref="Conv2dAttribute"/>).</summary>
    public int Kernel { get; set; } = 1;

    /// <summary>Step between windows.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on every side.</summary>
    public int Padding { get; set; }

    /// <summary>
    /// <c>"same"</c> (output as large as the input; stride 1 only; an even dilated kernel pads one more zero after
    /// than before, below and to the right, as PyTorch) or <c>"valid"</c> (no padding), instead of <see cref="Padding"/>.
    /// </summary>
    public string? PaddingMode { get; set; }

    /// <summary>Spacing between kernel taps, as PyTorch's <c>dilation</c>.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Groups of input channels convolved separately; must divide both C_in and C_out.</summary>
    public int Groups { get; set; } = 1;

    /// <summary>Whether the layer adds a learned bias per output channel.</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>2-D cross-correlation, as <c>torch.nn.Conv2d</c>: <c>(N, C_in, H, W) -> (N, C_out, H', W')</c>.</summary>
/// <remarks>
/// Square sizes (<see cref="ConvolutionAttribute.Kernel"/>, <see cref="ConvolutionAttribute.Stride"/>, <see cref="ConvolutionAttribute.Padding"/>,
/// <see cref="ConvolutionAttribute.Dilation"/>) apply to both axes; a per-axis size (<see cref="KernelHeight"/>, ...), when written, overrides its axis.
/// </remarks>
/// <param name="outChannels">C_out, the number of filters.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2dAttribute(int outChannels) : ConvolutionAttribute(outChannels)
{
    /// <summary>Kernel height, when it differs from the width.</summary>
    public int KernelHeight { get; set; }

    /// <summary>Kernel width, when it differs from the height.</summary>
    public int KernelWidth { get; set; }

    /// <summary>Vertical step between windows.</summary>
    public int StrideHeight { get; set; }

    /// <summary>Horizontal step between windows.</summary>
    public int StrideWidth { get; set; }

    /// <summary>Zeros added above and below.</summary>
    public int PaddingHeight { get; set; }

    /// <summary>Zeros added left and right.</summary>
    public int PaddingWidth { get; set; }

    /// <summary>Vertical spacing between kernel taps.</summary>
    public int DilationHeight { get; set; }

    /// <summary>Horizontal spacing between kernel taps.</summary>
    public int DilationWidth { get; set; }
}

/// <summary>
/// 1-D cross-correlation over sequences, as <c>torch.nn.Conv1d</c>: <c>(N, C_in, L) -> (N, C_out, L')</c>, weights
/// <c>(C_out, C_in/groups, k)</c>. Needs a <c>C x L</c> input: a network declared with <see cref="NetworkAttribute.InputLength"/>.
/// </summary>
/// <param name="outChannels">C_out, the number of filters.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1dAttribute(int outChannels) : ConvolutionAttribute(outChannels);

/// <summary>Window sizes shared by max and average pooling; per-axis sizes, when written, override the square ones.</summary>
public abstract class PoolingAttribute(int kernel) : LayerAttribute
{
    /// <summary>Square window size; 0 when only <see cref="KernelHeight"/> and <see cref="KernelWidth"/> are given.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Window height.</summary>
    public int KernelHeight { get; set; }

    /// <summary>Window width.</summary>
    public int KernelWidth { get; set; }

    /// <summary>Step between windows; 0 means "same as the kernel", PyTorch's default.</summary>
    public int Stride { get; set; }

    /// <summary>Vertical step; defaults to the window height.</summary>
    public int StrideHeight { get; set; }

    /// <summary>Horizontal step; defaults to the window width.</summary>
    public int StrideWidth { get; set; }

    /// <summary>Implicit padding on every side; at most half the kernel.</summary>
    public int Padding { get; set; }

    /// <summary>Padding above and below.</summary>
    public int PaddingHeight { get; set; }

    /// <summary>Padding left and right.</summary>
    public int PaddingWidth { get; set; }

    /// <summary>Round the output size up, as PyTorch's <c>ceil_mode=True</c>; a last window starting in the padding is dropped.</summary>
    public bool CeilMode { get; set; }
}

/// <summary>Max pooling, as <c>torch.nn.MaxPool2d</c>: <c>(N, C, H, W) -> (N, C, H', W')</c>; padding never wins.</summary>
/// <param name="kernel">Square window size; the stride defaults to it.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2dAttribute(int kernel) : PoolingAttribute(kernel)
{
    /// <summary>A window given only by <see cref="PoolingAttribute.KernelHeight"/> and <see cref="PoolingAttribute.KernelWidth"/>.</summary>
    public MaxPool2dAttribute()
        : this(0)
    {
    }
}

/// <summary>Average pooling, as <c>torch.nn.AvgPool2d</c>: <c>(N, C, H, W) -> (N, C, H', W')</c>.</summary>
/// <param name="kernel">Square window size; the stride defaults to it.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2dAttribute(int kernel) : PoolingAttribute(kernel)
{
    /// <summary>A window given only by <see cref="PoolingAttribute.KernelHeight"/> and <see cref="PoolingAttribute.KernelWidth"/>.</summary>
    public AvgPool2dAttribute()
        : this(0)
    {
    }

    /// <summary>
    /// Whether the zero padding counts in each window's divisor, as PyTorch's <c>count_include_pad</c> (true by default).
    /// False averages only the input values a window covers, so border outputs are not pulled towards zero.
    /// </summary>
    public bool CountIncludePad { get; set; } = true;
}

/// <summary>
/// Adaptive average pooling, as <c>torch.nn.AdaptiveAvgPool2d</c>: <c>(N, C, H, W) -> (N, C, outputHeight, outputWidth)</c>,
/// output cell <c>i</c> averaging input rows <c>[floor(i*H/H'), ceil((i+1)*H/H'))</c>.
/// </summary>
/// <param name="outputHeight">H', the output height.</param>
/// <param name="outputWidth">W', the output width.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AdaptiveAvgPool2dAttribute(int outputHeight, int outputWidth) : LayerAttribute
{
    /// <summary>A square output of <paramref name="outputSize"/> x <paramref name="outputSize"/>.</summary>
    /// <param name="outputSize">H' = W'.</param>
    public AdaptiveAvgPool2dAttribute(int outputSize)
        : this(outputSize, outputSize)
    {
    }

    /// <summary>H', the output height.</summary>
    public int OutputHeight { get; } = outputHeight;

    /// <summary>W', the output width.</summary>
    public int OutputWidth { get; } = outputWidth;
}

/// <summary>Global average pooling, <c>AdaptiveAvgPool2d(1)</c>: <c>(N, C, H, W) -> (N, C, 1, 1)</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPool2dAttribute : LayerAttribute;

/// <summary>Rectified linear unit, <c>max(0, x)</c>, element-wise; keeps the shape.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReLUAttribute : LayerAttribute;

/// <summary>Flattens <c>(N, C, H, W)</c> to <c>(N, C*H*W)</c> without copying.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute;

/// <summary>Fully connected layer, as <c>torch.nn.Linear</c>: <c>(N, in_features) -> (N, out_features)</c>.</summary>
/// <param name="inFeatures">The features the layer expects; checked against what flows into it.</param>
/// <param name="outFeatures">The features it produces.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LinearAttribute(int inFeatures, int outFeatures) : LayerAttribute
{
    /// <summary>The features the layer expects.</summary>
    public int InFeatures { get; } = inFeatures;

    /// <summary>The features it produces.</summary>
    public int OutFeatures { get; } = outFeatures;

    /// <summary>Whether the layer adds a learned bias.</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>Inverted dropout, as <c>torch.nn.Dropout</c>: zeroes each value with probability p in training and scales the rest by 1/(1-p); identity in evaluation.</summary>
/// <param name="probability">p, in [0, 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute(double probability) : LayerAttribute
{
    /// <summary>p, the probability of zeroing a value.</summary>
    public double Probability { get; } = probability;
}

/// <summary>Leaky rectifier, as <c>torch.nn.LeakyReLU</c>: <c>x</c> where positive, else <c>NegativeSlope * x</c>; keeps the shape.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LeakyReLUAttribute : LayerAttribute
{
    /// <summary>The slope for negative inputs; PyTorch's default 0.01.</summary>
    public double NegativeSlope { get; set; } = Planning.LayerDefaults.NegativeSlope;
}

/// <summary>
/// Exponential linear unit, as <c>torch.nn.ELU</c>: <c>x</c> where positive, else <c>Alpha * (e^x - 1)</c>, smooth at 0
/// for the default alpha; keeps the shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ELUAttribute : LayerAttribute
{
    /// <summary>The value the output tends to for large negative inputs is <c>-Alpha</c>; PyTorch's default 1.0.</summary>
    public double Alpha { get; set; } = Planning.LayerDefaults.EluAlpha;
}

/// <summary>Logistic sigmoid, <c>1 / (1 + e^-x)</c>, element-wise; keeps the shape.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SigmoidAttribute : LayerAttribute;

/// <summary>Hyperbolic tangent, element-wise; keeps the shape.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TanhAttribute : LayerAttribute;

/// <summary>
/// Softmax over dim 1, as <c>torch.nn.Softmax(dim=1)</c>: over the features of a flat vector, or over the channels at each
/// position of <c>C x H x W</c> or <c>C x L</c>; keeps the shape. Each exponent is taken after subtracting the maximum.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SoftmaxAttribute : LayerAttribute;

/// <summary>
/// Log-softmax over dim 1, as <c>torch.nn.LogSoftmax(dim=1)</c>: <c>x - log(sum(exp(x)))</c> over the features, or over
/// the channels at each position; keeps the shape. Computed without overflow for large inputs.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LogSoftmaxAttribute : LayerAttribute;

/// <summary>
/// Batch normalisation, as <c>torch.nn.BatchNorm2d</c> (affine, tracking running statistics): per channel
/// <c>y = (x - mean) / sqrt(var + Eps) * weight + bias</c>; keeps the <c>C x H x W</c> shape. Training normalises with
/// the batch's statistics and updates the running ones; evaluation uses the running ones. Checkpoint keys:
/// <c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNorm2dAttribute : LayerAttribute
{
    /// <summary>A batch norm whose features are the channels it receives.</summary>
    public BatchNorm2dAttribute()
    {
    }

    /// <summary>A batch norm declaring <paramref name="numFeatures"/>, checked against the channels it receives.</summary>
    /// <param name="numFeatures">C, PyTorch's <c>num_features</c>.</param>
    public BatchNorm2dAttribute(int numFeatures)
    {
        NumFeatures = numFeatures;
    }

    /// <summary>C if declared, else 0: inferred from the previous layer.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before the square root; PyTorch's default 1e-5. Must be positive.</summary>
    public double Eps { get; set; } = Planning.LayerDefaults.BatchNormEps;

    /// <summary>How far each training batch moves the running statistics, in [0, 1]; PyTorch's default 0.1.</summary>
    public double Momentum { get; set; } = Planning.LayerDefaults.BatchNormMomentum;
}
