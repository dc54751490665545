namespace ConvGen;

/// <summary>
/// Marks a <c>partial record</c> as a ConvGen network and gives its per-sample input shape: <c>(C, H, W)</c> for images,
/// or <c>(C, L)</c> for sequences (<see cref="InputLength"/> instead of <see cref="InputHeight"/> and <see cref="InputWidth"/>).
/// The layer attributes that follow it on the same declaration run in declaration order;
/// the source generator checks every layer's shape at compile time and writes Forward and Backward.
/// </summary>
/// <example>
/// <code>
/// [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
/// [Conv2d(16, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
/// [Flatten, Linear(256, 10)]
/// public sealed partial record DigitsNet;
///
/// [Network(InputChannels = 1, InputLength = 100)]
/// [Conv1d(16, Kernel = 3), ReLU, Flatten, Linear(1568, 4), LogSoftmax]
/// public sealed partial record SignalNet;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Channels of one input sample (1 for grey images or a single signal).</summary>
    public int InputChannels { get; set; }

    /// <summary>Height of one input sample, in pixels.</summary>
    public int InputHeight { get; set; }

    /// <summary>Width of one input sample, in pixels.</summary>
    public int InputWidth { get; set; }

    /// <summary>Length of one sequence sample, in steps: the network then takes <c>C x L</c> inputs, for <see cref="Conv1dAttribute"/>.</summary>
    public int InputLength { get; set; }
}
