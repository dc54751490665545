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

/// <summary>2-D cross-correlation, as <c>torch.nn.Conv2d</c>: <c>(N, C_in, H, W) -> (N, C_out, H', W')</c>.</summary>
/// <param name="outChannels">C_out, the number of filters.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2dAttribute(int outChannels) : LayerAttribute
{
    /// <summary>C_out, the number of filters.</summary>
    public int OutChannels { get; } = outChannels;

    /// <summary>C_in if declared; inferred from the previous layer otherwise, and checked when given.</summary>
    public int InChannels { get; set; }

    /// <summary>Square kernel size.</summary>
    public int Kernel { get; set; } = 1;

    /// <summary>Step between windows.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on every side.</summary>
    public int Padding { get; set; }

    /// <summary>Whether the layer adds a learned bias per output channel.</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>Max pooling, as <c>torch.nn.MaxPool2d</c>: <c>(N, C, H, W) -> (N, C, H', W')</c>.</summary>
/// <param name="kernel">Square window size; the stride defaults to it.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2dAttribute(int kernel) : LayerAttribute
{
    /// <summary>Square window size.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Step between windows; 0 means "same as the kernel", PyTorch's default.</summary>
    public int Stride { get; set; }

    /// <summary>Implicit negative-infinity padding on every side; at most half the kernel.</summary>
    public int Padding { get; set; }
}

/// <summary>Average pooling, as <c>torch.nn.AvgPool2d</c> (padding counted in the average): <c>(N, C, H, W) -> (N, C, H', W')</c>.</summary>
/// <param name="kernel">Square window size; the stride defaults to it.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2dAttribute(int kernel) : LayerAttribute
{
    /// <summary>Square window size.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Step between windows; 0 means "same as the kernel", PyTorch's default.</summary>
    public int Stride { get; set; }

    /// <summary>Zero padding on every side; at most half the kernel.</summary>
    public int Padding { get; set; }
}

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
