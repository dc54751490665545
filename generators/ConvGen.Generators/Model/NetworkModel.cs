using ConvGen.Generators.Helpers;
using ConvGen.Shapes;

namespace ConvGen.Generators.Model
{
    /// <summary>The layer kinds a declaration can use, one per layer attribute.</summary>
    internal enum LayerKind
    {
        Conv2d,
        MaxPool2d,
        AvgPool2d,
        ReLU,
        Flatten,
        Linear,
        Dropout,
        AdaptiveAvgPool2d,
        LeakyReLU,
        Sigmoid,
        Tanh,
        Conv1d,
        Softmax,
        LogSoftmax,
        BatchNorm2d,
    }

    /// <summary>A per-axis pair of hyperparameters (kernel, stride, padding, dilation).</summary>
    internal readonly record struct AxisPair(int Height, int Width)
    {
        public static AxisPair Square(int size) => new AxisPair(size, size);

        public bool IsSquare => Height == Width;

        public override string ToString() => Height == Width ? Height.ToString(System.Globalization.CultureInfo.InvariantCulture) : Height + "x" + Width;
    }

    /// <summary>Where one attribute argument was written, by parameter or property name.</summary>
    internal sealed record ArgumentSite(string Name, LocationInfo Location);

    /// <summary>
    /// One layer as declared, before shapes are inferred. Sizes not declared are zero. <see cref="PaddingMode"/> is the
    /// text of Conv2d's <c>PaddingMode</c> (null when not written); <see cref="OutputSize"/> is adaptive pooling's;
    /// <see cref="CountIncludePad"/> is AvgPool2d's; <see cref="NumFeatures"/>, <see cref="Epsilon"/> and
    /// <see cref="Momentum"/> are BatchNorm2d's.
    /// </summary>
    internal sealed record LayerModel(
        LayerKind Kind,
        string Name,
        int OutChannels,
        int InChannels,
        AxisPair Kernel,
        AxisPair Stride,
        AxisPair Padding,
        AxisPair Dilation,
        int InFeatures,
        int OutFeatures,
        bool HasBias,
        double Probability,
        LocationInfo? Location,
        EquatableArray<ArgumentSite> Arguments,
        int Groups = 1,
        string? PaddingMode = null,
        bool CeilMode = false,
        AxisPair OutputSize = default,
        double NegativeSlope = 0.01,
        bool CountIncludePad = true,
        int NumFeatures = 0,
        double Epsilon = 1e-5,
        double Momentum = 0.1)
    {
        public bool IsPooling => Kind == LayerKind.MaxPool2d || Kind == LayerKind.AvgPool2d;

        /// <summary>Conv2d, or Conv1d held as a height-1 Conv2d: kernel, stride and dilation height 1, padding height 0.</summary>
        public bool IsConvolution => Kind == LayerKind.Conv2d || Kind == LayerKind.Conv1d;

        /// <summary>A per-axis size as declared: one number for a Conv1d (its width), else <see cref="AxisPair.ToString"/>.</summary>
        public string SizeText(AxisPair pair) =>
            Kind == LayerKind.Conv1d ? pair.Width.ToString(System.Globalization.CultureInfo.InvariantCulture) : pair.ToString();

        /// <summary>The location of the first of <paramref name="arguments"/> written, or of the whole attribute.</summary>
        public LocationInfo? LocationOf(string first, string second)
        {
            foreach (ArgumentSite site in Arguments)
            {
                if (site.Name == first)
                {
                    return site.Location;
                }
            }

            return LocationOf(second);
        }

        /// <summary>The location of one argument, or of the whole attribute when it was not written.</summary>
        public LocationInfo? LocationOf(string argument)
        {
            foreach (ArgumentSite site in Arguments)
            {
                if (site.Name == argument)
                {
                    return site.Location;
                }
            }

            return Location;
        }
    }

    /// <summary>
    /// A whole network declaration: the record to extend, its input shape and its layers in order. Sizes not declared
    /// are zero; <see cref="InputLength"/> is null unless declared, and makes the input a <c>C x L</c> sequence.
    /// <see cref="Namespace"/> and <see cref="TypeName"/> are names, not C# text (no <c>@</c>); <see cref="HintName"/>
    /// is the generated file's name, unique in the compilation (empty: <c>{Namespace}.{TypeName}.g.cs</c>).
    /// </summary>
    internal sealed record NetworkModel(
        string Namespace,
        string TypeName,
        int InputChannels,
        int InputHeight,
        int InputWidth,
        LocationInfo? NetworkLocation,
        EquatableArray<LayerModel> Layers,
        int? InputLength = null,
        string HintName = "")
    {
        public bool IsSequence => InputLength is not null;

        /// <summary>The input as declared: a sequence when <see cref="InputLength"/> is, planes otherwise.</summary>
        public ActivationShape InputShape => InputLength is int length
            ? ActivationShape.Sequence(InputChannels, length)
            : ActivationShape.Planes(InputChannels, InputHeight, InputWidth);
    }
}
