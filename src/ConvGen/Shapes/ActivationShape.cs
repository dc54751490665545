// The shape of one activation. This file is compiled into the runtime and, as a linked source, into the source
// generator, which walk a network with the same shapes. Keep it to plain C# that netstandard2.0 and net10.0 both accept.
using System.Globalization;
using System.Linq;

namespace ConvGen.Shapes
{
    /// <summary>
    /// The per-sample shape of an activation: <c>C x H x W</c> planes, a <c>C x L</c> sequence (held as height 1 and width
    /// L, the layout the kernels run a Conv1d in), or a flat vector of <see cref="Channels"/> features. Sizes are 64-bit
    /// so that absurd hyperparameters give an error, not an overflow.
    /// </summary>
    internal readonly record struct ActivationShape(long Channels, long Height, long Width, bool IsFlat, bool IsSequence = false)
    {
        public static ActivationShape Planes(long channels, long height, long width) => new ActivationShape(channels, height, width, false);

        public static ActivationShape Sequence(long channels, long length) => new ActivationShape(channels, 1, length, false, IsSequence: true);

        public static ActivationShape Features(long features) => new ActivationShape(features, 1, 1, true);

        /// <summary>Values per sample. Only for shapes the shape walk accepted, whose volume fits.</summary>
        public long Volume => Channels * Height * Width;

        /// <summary>Positions each channel holds: pixels of a plane, steps of a sequence, one for a flat vector.</summary>
        public long Positions => Height * Width;

        /// <summary>The sizes as PyTorch lists them after the batch: <c>[C, H, W]</c>, <c>[C, L]</c> or <c>[C]</c> once flat.</summary>
        public long[] Dimensions => IsFlat ? new[] { Channels } : IsSequence ? new[] { Channels, Width } : new[] { Channels, Height, Width };

        /// <summary><c>16x8x8</c>, <c>16x20</c> for a sequence, or <c>256</c> once flat.</summary>
        public override string ToString() => string.Join("x", Dimensions.Select(size => size.ToString(CultureInfo.InvariantCulture)));
    }
}
