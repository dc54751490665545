// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using ConvGen.Layers;
using ConvGen.Shapes;

namespace ConvGen.Planning
{
    /// <summary>
    /// One layer as declared — by an attribute at compile time or a layer value at run time — as plain values that
    /// compare by value: what the <see cref="NetworkPlanner"/> reads. Per-axis sizes of a <see cref="LayerKind.Conv1d"/>
    /// are held as a height-1 convolution's (kernel, stride and dilation height 1, padding height 0). A size a declaration
    /// may leave to inference (<see cref="InChannels"/>, <see cref="NumFeatures"/>) is null when not given.
    /// </summary>
    internal sealed record LayerSpec(LayerKind Kind)
    {
        /// <summary>The name given, or null for the PyTorch-style default (<c>conv1</c>, <c>fc2</c>).</summary>
        public string? Name { get; init; }

        /// <summary>A convolution's filters.</summary>
        public int OutChannels { get; init; }

        /// <summary>A convolution's declared input channels; null to infer them.</summary>
        public int? InChannels { get; init; }

        /// <summary>A convolution's or pooling's window.</summary>
        public AxisPair Kernel { get; init; } = 1;

        /// <summary>Step between windows; a pooling's defaults to its window.</summary>
        public AxisPair Stride { get; init; } = 1;

        /// <summary>Zeros on each side.</summary>
        public AxisPair Padding { get; init; } = 0;

        /// <summary>The padding setting written in the declaration (<c>Padding</c>, <c>PaddingHeight</c>...), named when it clashes with <see cref="PaddingMode"/>; null when none was.</summary>
        public string? WrittenPadding { get; init; }

        /// <summary>A convolution's spacing between taps.</summary>
        public AxisPair Dilation { get; init; } = 1;

        /// <summary>A convolution's groups.</summary>
        public int Groups { get; init; } = 1;

        /// <summary>Whether a convolution or linear layer adds a bias.</summary>
        public bool Bias { get; init; } = true;

        /// <summary>A convolution's <c>"same"</c> or <c>"valid"</c>, or null for <see cref="Padding"/>.</summary>
        public string? PaddingMode { get; init; }

        /// <summary>A pooling's ceil mode.</summary>
        public bool CeilMode { get; init; }

        /// <summary>An average pooling's <c>count_include_pad</c>.</summary>
        public bool CountIncludePad { get; init; } = true;

        /// <summary>An adaptive pooling's output size.</summary>
        public AxisPair OutputSize { get; init; } = 1;

        /// <summary>A linear layer's input features.</summary>
        public int InFeatures { get; init; }

        /// <summary>A linear layer's output features.</summary>
        public int OutFeatures { get; init; }

        /// <summary>A dropout's p.</summary>
        public double Probability { get; init; }

        /// <summary>A leaky ReLU's slope for negative inputs.</summary>
        public double NegativeSlope { get; init; } = LayerDefaults.NegativeSlope;

        /// <summary>An ELU's alpha.</summary>
        public double Alpha { get; init; } = LayerDefaults.EluAlpha;

        /// <summary>A batch norm's declared features; null to infer them.</summary>
        public int? NumFeatures { get; init; }

        /// <summary>A batch norm's eps.</summary>
        public double Eps { get; init; } = LayerDefaults.BatchNormEps;

        /// <summary>A batch norm's momentum.</summary>
        public double Momentum { get; init; } = LayerDefaults.BatchNormMomentum;

        /// <summary>
        /// The blocks a merge uses: a <see cref="LayerKind.Residual"/>'s main branch and, when it has one, its shortcut; a
        /// <see cref="LayerKind.Concat"/>'s branches. Null for every other kind.
        /// </summary>
        public BlockList? Blocks { get; init; }

        /// <summary>Whether it uses blocks: a residual unit or a concatenation.</summary>
        public bool IsMerge => Kind == LayerKind.Residual || Kind == LayerKind.Concat;

        /// <summary>
        /// A convolution's zeros before (above, to the left) and after (below, to the right) each axis: <c>"valid"</c> none,
        /// <c>"same"</c> <c>d*(k-1)</c> in all per axis with the odd one after, as PyTorch; else <see cref="Padding"/> on both sides.
        /// </summary>
        public (AxisPair Before, AxisPair After) ResolvedPadding()
        {
            switch (PaddingMode)
            {
                case "valid":
                    return (0, 0);
                case "same":
                    ShapeRules.SamePadding(Kernel.Height, Dilation.Height, out long top, out long bottom);
                    ShapeRules.SamePadding(Kernel.Width, Dilation.Width, out long left, out long right);
                    return (new AxisPair((int)top, (int)left), new AxisPair((int)bottom, (int)right));
                default:
                    return (Padding, Padding);
            }
        }

        /// <summary>Whether per-axis sizes are one number: a Conv1d's, along its length.</summary>
        public bool IsSequenceLayer => LayerCatalog.Of(Kind).Input == InputKind.Sequence;

        /// <summary>A per-axis size as the messages write it: one number for a sequence layer (its width), else <see cref="AxisPair.ToString"/>.</summary>
        public string SizeText(AxisPair pair) => IsSequenceLayer ? NetworkPlanner.Text(pair.Width) : pair.ToString();
    }
}
