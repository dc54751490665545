using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
using ConvGen.Layers;
using ConvGen.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators
{
    public sealed partial class ConvGenGenerator
    {
        /// <summary>
        /// Reads a <c>[Network]</c> declaration into an equatable <see cref="NetworkModel"/>: the last step that
        /// sees symbols and syntax. Never throws on half-typed code: what cannot be read is left to the compiler's own errors.
        /// </summary>
        internal static class Parser
        {
            // Every layer attribute the catalogue names, by its full name.
            internal static readonly Dictionary<string, LayerKind> LayerAttributes = LayerCatalog.All
                .SelectMany(entry => entry.Attributes.Select(attribute => new KeyValuePair<string, LayerKind>("ConvGen." + attribute, entry.Kind)))
                .ToDictionary(pair => pair.Key, pair => pair.Value);

            public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var diagnostics = new List<DiagnosticInfo>();
                var declaration = (TypeDeclarationSyntax)context.TargetNode;
                var symbol = (INamedTypeSymbol)context.TargetSymbol;
                if (declaration.Identifier.IsMissing)
                {
                    // Still being typed: the compiler reports the missing name, and code for a nameless type would not compile.
                    return new ParseResult(null, null, EquatableArray<DiagnosticInfo>.Empty);
                }

                LocationInfo? nameLocation = LocationInfo.From(declaration.Identifier.GetLocation());

                bool isRecordClass = declaration is RecordDeclarationSyntax record && !record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword);
                if (!isRecordClass || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartialRecord, nameLocation, symbol.Name));
                    return new ParseResult(null, null, diagnostics.ToEquatableArray());
                }

                if (symbol.ContainingType is not null || symbol.TypeParameters.Length > 0)
                {
                    string what = symbol.ContainingType is not null ? "nested in '" + symbol.ContainingType.Name + "'" : "generic";
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedNesting, nameLocation, symbol.Name, what));
                    return new ParseResult(null, null, diagnostics.ToEquatableArray());
                }

                AttributeData network = context.Attributes[0];
                if (!CarriesFirstNetworkAttribute(declaration, symbol, cancellationToken))
                {
                    // [Network] on two partial declarations is the compiler's CS0579. Generating for both would add two
                    // sources with one hint name, which throws and drops every network's generated code.
                    return new ParseResult(null, null, EquatableArray<DiagnosticInfo>.Empty);
                }

                var layers = new List<LayerSpec>();
                var sources = new List<LayerSource>();
                var blockSources = new List<BlockSource>();
                bool layersElsewhere = false, blocksRead = true;
                foreach (AttributeData attribute in symbol.GetAttributes())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (AttributeKey(attribute.AttributeClass) is not string attributeName || !LayerAttributes.TryGetValue(attributeName, out LayerKind kind))
                    {
                        continue;
                    }

                    if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
                    {
                        continue;
                    }

                    if (syntax.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(syntax.Span))
                    {
                        layersElsewhere = true;
                        continue;
                    }

                    var source = new LayerSource(LocationInfo.From(syntax), ArgumentSites(kind, syntax).ToEquatableArray());
                    var blocks = new BlockReader(source.Location, syntax.Name.ToString(), diagnostics, blockSources, cancellationToken);
                    LayerSpec? layer = blocks.Layer(kind, attribute, source);
                    blocksRead &= layer is not null;
                    layers.Add(layer ?? new LayerSpec(kind));
                    sources.Add(source);
                }

                if (!blocksRead)
                {
                    // A block that cannot be read has been reported where it is used; there is no network to plan.
                    return new ParseResult(null, null, diagnostics.ToEquatableArray());
                }

                if (layersElsewhere)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersOnSeveralDeclarations, nameLocation, symbol.Name));
                }

                string ns = HintNames.Namespace(symbol);
                var input = new NetworkInput(
                    Named(network, "InputChannels", 0),
                    Named(network, "InputHeight", 0),
                    Named(network, "InputWidth", 0),
                    HasNamed(network, "InputLength") ? Named(network, "InputLength", 0) : (int?)null);
                var model = new NetworkModel(ns, symbol.Name, input, layers.ToEquatableArray(), HintNames.For(symbol, context.SemanticModel.Compilation, NetworkAttributeName));
                var networkSource = new NetworkSource(LocationInfo.From(network.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), sources.ToEquatableArray(), blockSources.ToEquatableArray());
                diagnostics.AddRange(DeclarationChecks.Check(symbol, declaration, model, networkSource, context.SemanticModel.Compilation, cancellationToken));
                return new ParseResult(model, networkSource, diagnostics.ToEquatableArray());
            }

            /// <summary>An attribute class's full metadata name, <c>ConvGen.Conv2dAttribute</c> or <c>ConvGen.ResidualAttribute`1</c>: generic ones by arity.</summary>
            internal static string? AttributeKey(INamedTypeSymbol? type) =>
                type is null ? null : type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;

            internal static LayerSpec ReadLayer(LayerKind kind, AttributeData attribute, LayerSource source)
            {
                int Positional(int index) =>
                    index < attribute.ConstructorArguments.Length && attribute.ConstructorArguments[index].Value is int value ? value : 0;

                // A square size, then each axis's own when written.
                AxisPair PerAxis(string name, int square) =>
                    new AxisPair(Named(attribute, name + "Height", square), Named(attribute, name + "Width", square));

                bool convolution = kind == LayerKind.Conv2d || kind == LayerKind.Conv1d;
                bool pooling = kind == LayerKind.MaxPool2d || kind == LayerKind.AvgPool2d;
                double probability = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is double p ? p : 0;
                AxisPair kernel = PerAxis("Kernel", convolution ? Named(attribute, "Kernel", 1) : pooling ? Positional(0) : 1);
                AxisPair stride = PerAxis("Stride", Named(attribute, "Stride", 1));
                if (pooling)
                {
                    // PyTorch's default pooling stride is the window, axis by axis.
                    bool square = HasNamed(attribute, "Stride");
                    stride = new AxisPair(
                        HasNamed(attribute, "StrideHeight") || square ? stride.Height : kernel.Height,
                        HasNamed(attribute, "StrideWidth") || square ? stride.Width : kernel.Width);
                }

                AxisPair padding = PerAxis("Padding", Named(attribute, "Padding", 0));
                AxisPair dilation = PerAxis("Dilation", Named(attribute, "Dilation", 1));
                if (kind == LayerKind.Conv1d)
                {
                    // A Conv1d runs as a height-1 Conv2d: its one axis is the width.
                    kernel = new AxisPair(1, kernel.Width);
                    stride = new AxisPair(1, stride.Width);
                    padding = new AxisPair(0, padding.Width);
                    dilation = new AxisPair(1, dilation.Width);
                }

                AxisPair outputSize = 1;
                if (kind == LayerKind.AdaptiveAvgPool2d)
                {
                    // GlobalAvgPool2d has no arguments; AdaptiveAvgPool2d(n) binds to the (n, n) constructor.
                    outputSize = attribute.AttributeClass?.Name == "GlobalAvgPool2dAttribute"
                        ? 1
                        : attribute.ConstructorArguments.Length == 1 ? Positional(0) : new AxisPair(Positional(0), Positional(1));
                }

                string? declaredName = Named<string?>(attribute, "Name", null);
                return new LayerSpec(kind)
                {
                    Name = string.IsNullOrWhiteSpace(declaredName) ? null : declaredName,
                    OutChannels = convolution ? Positional(0) : 0,
                    InChannels = HasNamed(attribute, "InChannels") ? Named(attribute, "InChannels", 0) : (int?)null,
                    Kernel = kernel,
                    Stride = stride,
                    Padding = padding,
                    WrittenPadding = source.Arguments.Select(site => site.Name).FirstOrDefault(name => name.StartsWith("Padding", StringComparison.Ordinal) && name != "PaddingMode"),
                    Dilation = dilation,
                    Groups = Named(attribute, "Groups", 1),
                    Bias = Named(attribute, "Bias", true),
                    PaddingMode = Named<string?>(attribute, "PaddingMode", null),
                    CeilMode = Named(attribute, "CeilMode", false),
                    CountIncludePad = Named(attribute, "CountIncludePad", true),
                    OutputSize = outputSize,
                    InFeatures = kind == LayerKind.Linear ? Positional(0) : 0,
                    OutFeatures = kind == LayerKind.Linear ? Positional(1) : 0,
                    Probability = probability,
                    NegativeSlope = Named(attribute, "NegativeSlope", LayerDefaults.NegativeSlope),
                    Alpha = Named(attribute, "Alpha", LayerDefaults.EluAlpha),
                    NumFeatures = kind == LayerKind.BatchNorm2d && source.Declares("NumFeatures") ? Positional(0) : (int?)null,
                    Eps = Named(attribute, "Eps", LayerDefaults.BatchNormEps),
                    Momentum = Named(attribute, "Momentum", LayerDefaults.BatchNormMomentum),
                };
            }

            // Positional arguments are named after the constructor parameters they bind to, so diagnostics can point at them.
            internal static IEnumerable<ArgumentSite> ArgumentSites(LayerKind kind, AttributeSyntax syntax)
            {
                if (syntax.ArgumentList is null)
                {
                    yield break;
                }

                string[] positionalNames = kind switch
                {
                    LayerKind.Conv2d or LayerKind.Conv1d => new[] { "OutChannels" },
                    LayerKind.MaxPool2d or LayerKind.AvgPool2d => new[] { "Kernel" },
                    LayerKind.Linear => new[] { "InFeatures", "OutFeatures" },
                    LayerKind.Dropout => new[] { "Probability" },
                    LayerKind.AdaptiveAvgPool2d => new[] { "OutputHeight", "OutputWidth" },
                    LayerKind.BatchNorm2d => new[] { "NumFeatures" },
                    _ => Array.Empty<string>(),
                };
                int position = 0;
                foreach (AttributeArgumentSyntax argument in syntax.ArgumentList.Arguments)
                {
                    LocationInfo? location = LocationInfo.From(argument);
                    if (location is null)
                    {
                        continue;
                    }

                    if (argument.NameEquals is not null)
                    {
                        yield return new ArgumentSite(argument.NameEquals.Name.Identifier.ValueText, location);
                    }
                    else if (argument.NameColon is not null)
                    {
                        string parameter = argument.NameColon.Name.Identifier.ValueText;
                        yield return new ArgumentSite(char.ToUpperInvariant(parameter[0]) + parameter.Substring(1), location);
                    }
                    else if (position < positionalNames.Length)
                    {
                        yield return new ArgumentSite(positionalNames[position++], location);
                    }
                }
            }

            // A symbol's attributes come from all its partial declarations: the first [Network] decides which one generates.
            private static bool CarriesFirstNetworkAttribute(TypeDeclarationSyntax declaration, INamedTypeSymbol symbol, CancellationToken cancellationToken)
            {
                SyntaxNode? syntax = symbol.GetAttributes()
                    .FirstOrDefault(attribute => attribute.AttributeClass?.ToDisplayString() == NetworkAttributeName)?
                    .ApplicationSyntaxReference?.GetSyntax(cancellationToken);
                return syntax is null || (syntax.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(syntax.Span));
            }

            internal static bool HasNamed(AttributeData attribute, string name) => attribute.NamedArguments.Any(pair => pair.Key == name);

            internal static T Named<T>(AttributeData attribute, string name, T fallback)
            {
                foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
                {
                    if (pair.Key == name && pair.Value.Value is T value)
                    {
                        return value;
                    }
                }

                return fallback;
            }
        }
    }
}
