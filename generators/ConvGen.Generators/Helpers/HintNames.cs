using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generators.Helpers
{
    /// <summary>
    /// Names for what the generator hands the compiler: the namespace as plain names, and a hint name no other network
    /// in the compilation shares. Hint names compare ignoring case, so <c>Net</c> and <c>NET</c> need different ones,
    /// and they may not hold <c>@</c>: a verbatim <c>App.@internal</c> is written <c>App.internal</c>.
    /// </summary>
    internal static class HintNames
    {
        /// <summary>The dotted namespace of <paramref name="symbol"/>, empty for the global one, with no <c>@</c>.</summary>
        public static string Namespace(INamedTypeSymbol symbol)
        {
            var parts = new List<string>();
            for (INamespaceSymbol? ns = symbol.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            {
                parts.Insert(0, ns.Name);
            }

            return string.Join(".", parts);
        }

        /// <summary>
        /// <c>{Namespace}.{Type}.g.cs</c>; when other networks' full names differ from it only by case, all of them but
        /// the first in ordinal order get <c>.2</c>, <c>.3</c>... before <c>.g.cs</c> (no type is named 2).
        /// </summary>
        public static string For(INamedTypeSymbol symbol, Compilation compilation, string attributeName)
        {
            string fullName = FullName(symbol);
            List<string> twins = compilation.GetSymbolsWithName(name => string.Equals(name, symbol.Name, StringComparison.OrdinalIgnoreCase), SymbolFilter.Type)
                .OfType<INamedTypeSymbol>()
                .Where(type => type.ContainingType is null && type.GetAttributes().Any(attribute => attribute.AttributeClass?.ToDisplayString() == attributeName))
                .Select(FullName)
                .Where(name => string.Equals(name, fullName, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(name => name, StringComparer.Ordinal)
                .ToList();
            int index = twins.IndexOf(fullName);
            return fullName + (index > 0 ? "." + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty) + ".g.cs";
        }

        private static string FullName(INamedTypeSymbol symbol)
        {
            string ns = Namespace(symbol);
            return ns.Length == 0 ? symbol.Name : ns + "." + symbol.Name;
        }
    }
}
