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

        /// <summary>
        /// A location in <paramref name="compilation"/>'s syntax tree of this file, which <c>#pragma warning disable</c> and
        /// <c>.editorconfig</c> severities are checked against; a plain file location (checked against neither) only
        /// when the compilation does not hold the file.
        /// </summary>
        public Location ToLocation(Compilation? compilation = null)
        {
            if (compilation is not null)
            {
                foreach (SyntaxTree tree in compilation.SyntaxTrees)
                {
                    if (tree.FilePath == FilePath && Span.End <= tree.Length)
                    {
                        return Location.Create(tree, Span);
                    }
                }
            }

            return Location.Create(FilePath, Span, LineSpan);
        }
    }
}
