// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
namespace ConvGen.Planning
{
    /// <summary>The layer kinds a network can hold: one per layer attribute and run-time layer value, one entry each in <see cref="LayerCatalog"/>.</summary>
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
        ELU,

        /// <summary>A residual unit's addition: its main branch's output plus its shortcut's (or its input's).</summary>
        Residual,

        /// <summary>Branches joined along the channels.</summary>
        Concat,
    }
}
