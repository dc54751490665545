// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
using System.Globalization;

namespace ConvGen.Layers
{
    /// <summary>
    /// A hyperparameter given per spatial axis — kernel, stride, padding, dilation, output size — as PyTorch takes an
    /// <c>int</c> or a <c>(height, width)</c> tuple: <c>Kernel = 3</c> or <c>Kernel = (3, 5)</c>.
    /// </summary>
    /// <param name="Height">The value along the height.</param>
    /// <param name="Width">The value along the width.</param>
    public readonly record struct AxisPair(int Height, int Width)
    {
        /// <summary>Whether both axes have the same value.</summary>
        public bool IsSquare => Height == Width;

        /// <summary>The same value on both axes.</summary>
        public static implicit operator AxisPair(int size) => new AxisPair(size, size);

        /// <summary>A value per axis, height first.</summary>
        public static implicit operator AxisPair((int Height, int Width) pair) => new AxisPair(pair.Height, pair.Width);

        /// <summary><c>3</c> when square, <c>3x5</c> otherwise, as the generator's diagnostics write it.</summary>
        public override string ToString() =>
            IsSquare ? Height.ToString(CultureInfo.InvariantCulture) : Height.ToString(CultureInfo.InvariantCulture) + "x" + Width.ToString(CultureInfo.InvariantCulture);
    }
}
