// Shared with the source generator (linked source): plain C# that netstandard2.0 and net10.0 both accept.
namespace ConvGen.Planning
{
    /// <summary>
    /// PyTorch's defaults, written once: the attributes, the run-time layer values, the generator's parser and the
    /// generated <c>Architecture</c> all read them from here.
    /// </summary>
    internal static class LayerDefaults
    {
        /// <summary><c>torch.nn.LeakyReLU</c>'s <c>negative_slope</c>.</summary>
        public const double NegativeSlope = 0.01;

        /// <summary><c>torch.nn.ELU</c>'s <c>alpha</c>.</summary>
        public const double EluAlpha = 1.0;

        /// <summary><c>torch.nn.BatchNorm2d</c>'s <c>eps</c>.</summary>
        public const double BatchNormEps = 1e-5;

        /// <summary><c>torch.nn.BatchNorm2d</c>'s <c>momentum</c>.</summary>
        public const double BatchNormMomentum = 0.1;
    }
}
