using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generators.Model
{
    /// <summary>
    /// Where in source a diagnostic belongs, as plain values: a <see cref="Location"/> holds its syntax tree,
    /// and with it the whole compilation, which would defeat incremental caching.
    /// </summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo? From(SyntaxNode? node)
        {
            return node is null ? null : From(node.GetLocation());
        }

        public static LocationInfo? From(Location location)
        {
            return location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
        }

        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
    }
}
