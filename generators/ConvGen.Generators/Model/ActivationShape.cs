using System.Globalization;

namespace ConvGen.Generators.Model
{
    /// <summary>The per-sample shape of an activation: <c>C x H x W</c>, or a flat vector of <see cref="Channels"/> features.</summary>
    internal readonly record struct ActivationShape(long Channels, long Height, long Width, bool IsFlat)
    {
        public static ActivationShape Planes(long channels, long height, long width) => new ActivationShape(channels, height, width, false);

        public static ActivationShape Features(long features) => new ActivationShape(features, 1, 1, true);

        public long Volume => Channels * Height * Width;

        public override string ToString()
        {
            return IsFlat
                ? Channels.ToString(CultureInfo.InvariantCulture)
                : string.Format(CultureInfo.InvariantCulture, "{0}x{1}x{2}", Channels, Height, Width);
        }
    }
}
