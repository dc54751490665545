using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvGen.Generators.Helpers
{
    /// <summary>
    /// User text made safe for each place generated code puts it: identifiers, string literals, comments, XML docs
    /// and number literals. Whatever a declaration holds (keywords, line breaks, control characters, NaN), the result
    /// compiles and reads back as the same value.
    /// </summary>
    internal static class CSharpText
    {
        /// <summary>A name as an identifier: <c>@class</c> for a keyword, <c>@record</c> or <c>@var</c> for a contextual one.</summary>
        public static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None || IsLowercaseAscii(name)
                ? "@" + name
                : name;

        /// <summary>A dotted namespace with each part an <see cref="Identifier"/>: <c>App.@internal</c>.</summary>
        public static string QualifiedName(string dotted) => string.Join(".", dotted.Split('.').Select(Identifier));

        /// <summary>A regular string literal holding exactly <paramref name="value"/>.</summary>
        public static string Literal(string value) => "\"" + Escape(value, quoted: true) + "\"";

        /// <summary>Text for a <c>//</c> comment: line breaks and invisible characters shown as escapes, so the comment stays one line.</summary>
        public static string Comment(string text) => Escape(text, quoted: false);

        /// <summary>Text for an XML doc line: one line, markup characters as entities, only characters XML allows.</summary>
        public static string Xml(string text) => Comment(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        /// <summary>A float literal for <paramref name="value"/> rounded to float32; non-finite values by name, not as <c>NaNf</c>.</summary>
        public static string Float(double value)
        {
            float single = (float)value;
            return float.IsNaN(single) ? "float.NaN"
                : float.IsPositiveInfinity(single) ? "float.PositiveInfinity"
                : float.IsNegativeInfinity(single) ? "float.NegativeInfinity"
                : single.ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        /// <summary>A double literal that reads back exactly, e.g. <c>1E-05</c>; non-finite values by name.</summary>
        public static string Double(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                return double.IsNaN(value) ? "double.NaN" : value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
            }

            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
        }

        // The compiler warns (CS8981) at every declaration of such a type name, the generated one included, unless escaped.
        private static bool IsLowercaseAscii(string name) => name.Length > 0 && name.All(c => c >= 'a' && c <= 'z');

        // Characters that would end a line (C# counts \r, \n, U+0085, U+2028 and U+2029), hide, or be invalid in XML
        // become \uXXXX; in a literal that escape is the same character, in a comment it shows what is there.
        private static string Escape(string value, bool quoted)
        {
            var builder = new StringBuilder(value.Length);
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"' when quoted:
                        builder.Append("\\\"");
                        break;
                    case '\\' when quoted:
                        builder.Append("\\\\");
                        break;
                    case '\n':
                        builder.Append("\\n");
                        break;
                    case '\r':
                        builder.Append("\\r");
                        break;
                    case '\t':
                        builder.Append("\\t");
                        break;
                    default:
                        if (NeedsEscape(c))
                        {
                            builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.ToString();
        }

        private static bool NeedsEscape(char c)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.Surrogate:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                    return true;
                default:
                    return false;
            }
        }
    }
}
