using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators
{
    /// <summary>
    /// Reads the blocks one top-level use attribute (<c>[Residual&lt;Basic16&gt;]</c>, <c>[Concat&lt;A, B&gt;]</c>) names,
    /// through every block they use in turn, into <see cref="BlockSpec"/> values. What makes a block unusable (not a
    /// <c>[Block]</c> record, generic, nested, abstract, empty, using itself) is reported on that use attribute, where the
    /// network meets it; the type's declaration may be in another file.
    /// </summary>
    internal sealed class BlockReader
    {
        private const string BlockAttributeName = "ConvGen.BlockAttribute";

        private readonly LocationInfo? useLocation;
        private readonly string useText;
        private readonly List<DiagnosticInfo> diagnostics;
        private readonly List<BlockSource> blockSources;
        private readonly CancellationToken cancellationToken;
        private readonly List<INamedTypeSymbol> path = new List<INamedTypeSymbol>();

        public BlockReader(LocationInfo? useLocation, string useText, List<DiagnosticInfo> diagnostics, List<BlockSource> blockSources, CancellationToken cancellationToken)
        {
            this.blockSources = blockSources;
            this.useLocation = useLocation;
            this.useText = useText;
            this.diagnostics = diagnostics;
            this.cancellationToken = cancellationToken;
        }

        /// <summary>The layer an attribute declares, a merge with its blocks read; null when a block could not be.</summary>
        public LayerSpec? Layer(LayerKind kind, AttributeData attribute, LayerSource source)
        {
            LayerSpec layer = ConvGenGenerator.Parser.ReadLayer(kind, attribute, source);
            if (kind != LayerKind.Residual && kind != LayerKind.Concat)
            {
                return layer;
            }

            var blocks = new List<BlockSpec>();
            foreach (ITypeSymbol argument in attribute.AttributeClass!.TypeArguments)
            {
                BlockSpec? block = Block(argument);
                if (block is null)
                {
                    return null;
                }

                blocks.Add(block);
            }

            return layer with { Blocks = new BlockList(blocks.ToArray()) };
        }

        private BlockSpec? Block(ITypeSymbol type)
        {
            if (type.TypeKind == TypeKind.Error)
            {
                // The compiler reports the unknown type.
                return null;
            }

            if (type is not INamedTypeSymbol block)
            {
                return Unsupported(type, "is a type parameter", "name a [Block] record");
            }

            if (!block.GetAttributes().Any(attribute => attribute.AttributeClass?.ToDisplayString() == BlockAttributeName))
            {
                return Unsupported(block, "is not marked [Block]", "add [Block] to its declaration");
            }

            if (block.TypeArguments.Length > 0 || block.IsGenericType)
            {
                return Unsupported(block, "is generic", "a block's layers cannot depend on type arguments; declare a non-generic record");
            }

            if (block.ContainingType is not null)
            {
                return Unsupported(block, "is nested in '" + block.ContainingType.Name + "'", "declare blocks at the top level of a namespace");
            }

            if (block.IsAbstract)
            {
                return Unsupported(block, "is abstract", "a block is a concrete list of layers; remove 'abstract'");
            }

            if (!block.IsRecord || block.TypeKind != TypeKind.Class)
            {
                return Unsupported(block, "is not a record class", "declare it as 'partial record'");
            }

            if (path.Contains(block, SymbolEqualityComparer.Default))
            {
                string cycle = string.Join(" -> ", path.SkipWhile(other => !SymbolEqualityComparer.Default.Equals(other, block)).Select(other => other.Name).Concat(new[] { block.Name }));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RecursiveBlock, useLocation, block.Name, cycle));
                return null;
            }

            path.Add(block);
            var layers = new List<LayerSpec>();
            var written = new List<LayerSource>();
            foreach (AttributeData attribute in block.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (ConvGenGenerator.Parser.AttributeKey(attribute.AttributeClass) is not string name
                    || !ConvGenGenerator.Parser.LayerAttributes.TryGetValue(name, out LayerKind kind))
                {
                    continue;
                }

                // Only to read which arguments were written; diagnostics inside a block go to the use.
                var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
                var source = new LayerSource(null, syntax is null ? EquatableArray<ArgumentSite>.Empty : ConvGenGenerator.Parser.ArgumentSites(kind, syntax).ToEquatableArray());
                LayerSpec? layer = Layer(kind, attribute, source);
                if (layer is null)
                {
                    path.RemoveAt(path.Count - 1);
                    return null;
                }

                layers.Add(layer);
                written.Add(source with { Location = LocationInfo.From(syntax) });
            }

            path.RemoveAt(path.Count - 1);
            if (layers.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyBlock, useLocation, block.Name, useText));
                return null;
            }

            // Where the block's layers were written, for a code fix that edits the block (a projection's out-channels).
            blockSources.Add(new BlockSource(block.Name, written.ToEquatableArray()));
            return new BlockSpec(block.Name, layers.ToArray());
        }

        private BlockSpec? Unsupported(ITypeSymbol type, string what, string fix)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedBlock, useLocation, type.Name, useText, what, fix));
            return null;
        }
    }
}
