using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Helpers;
using ConvGen.Generators.Model;
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
            private static readonly Dictionary<string, LayerKind> LayerAttributes = new Dictionary<string, LayerKind>
            {
                ["ConvGen.Conv2dAttribute"] = LayerKind.Conv2d,
                ["ConvGen.MaxPool2dAttribute"] = LayerKind.MaxPool2d,
                ["ConvGen.AvgPool2dAttribute"] = LayerKind.AvgPool2d,
                ["ConvGen.ReLUAttribute"] = LayerKind.ReLU,
                ["ConvGen.FlattenAttribute"] = LayerKind.Flatten,
                ["ConvGen.LinearAttribute"] = LayerKind.Linear,
                ["ConvGen.DropoutAttribute"] = LayerKind.Dropout,
                ["ConvGen.LeakyReLUAttribute"] = LayerKind.LeakyReLU,
                ["ConvGen.SigmoidAttribute"] = LayerKind.Sigmoid,
                ["ConvGen.TanhAttribute"] = LayerKind.Tanh,
                ["ConvGen.BatchNorm2dAttribute"] = LayerKind.BatchNorm2d,
                ["ConvGen.AdaptiveAvgPool2dAttribute"] = LayerKind.AdaptiveAvgPool2d,
                ["ConvGen.GlobalAvgPool2dAttribute"] = LayerKind.AdaptiveAvgPool2d,
                ["ConvGen.Conv1dAttribute"] = LayerKind.Conv1d,
                ["ConvGen.SoftmaxAttribute"] = LayerKind.Softmax,
                ["ConvGen.LogSoftmaxAttribute"] = LayerKind.LogSoftmax,
            };

            public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var diagnostics = new List<DiagnosticInfo>();
                var declaration = (TypeDeclarationSyntax)context.TargetNode;
                var symbol = (INamedTypeSymbol)context.TargetSymbol;
                if (declaration.Identifier.IsMissing)
                {
                    // Still being typed: the compiler reports the missing name, and code for a nameless type would not compile.
                    return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
                }

                LocationInfo? nameLocation = LocationInfo.From(declaration.Identifier.GetLocation());

                bool isRecordClass = declaration is RecordDeclarationSyntax record && !record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword);
                if (!isRecordClass || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartialRecord, nameLocation, symbol.Name));
                    return new ParseResult(null, diagnostics.ToEquatableArray());
                }

                if (symbol.ContainingType is not null || symbol.TypeParameters.Length > 0)
                {
                    string what = symbol.ContainingType is not null ? "nested in '" + symbol.ContainingType.Name + "'" : "generic";
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedNesting, nameLocation, symbol.Name, what));
                    return new ParseResult(null, diagnostics.ToEquatableArray());
                }

                AttributeData network = context.Attributes[0];
                if (!CarriesFirstNetworkAttribute(declaration, symbol, cancellationToken))
                {
                    // [Network] on two partial declarations is the compiler's CS0579. Generating for both would add two
                    // sources with one hint name, which throws and drops every network's generated code.
                    return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
                }

                var layers = new List<LayerModel>();
                var counters = new Dictionary<string, int>();
                bool layersElsewhere = false;
                foreach (AttributeData attribute in symbol.GetAttributes())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string? attributeName = attribute.AttributeClass?.ToDisplayString();
                    if (attributeName is null || !LayerAttributes.TryGetValue(attributeName, out LayerKind kind))
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

                    layers.Add(ReadLayer(kind, attribute, syntax, counters));
                }

                if (layersElsewhere)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersOnSeveralDeclarations, nameLocation, symbol.Name));
                }

                string ns = HintNames.Namespace(symbol);
                var model = new NetworkModel(
                    ns,
                    symbol.Name,
                    Named(network, "InputChannels", 0),
                    Named(network, "InputHeight", 0),
                    Named(network, "InputWidth", 0),
                    LocationInfo.From(network.ApplicationSyntaxReference?.GetSyntax(cancellationToken)),
                    layers.ToEquatableArray(),
                    HasNamed(network, "InputLength") ? Named(network, "InputLength", 0) : (int?)null,
                    HintNames.For(symbol, context.SemanticModel.Compilation, NetworkAttributeName));
                diagnostics.AddRange(DeclarationChecks.Check(symbol, declaration, model, context.SemanticModel.Compilation, cancellationToken));
                return new ParseResult(model, diagnostics.ToEquatableArray());
            }

            private static LayerModel ReadLayer(LayerKind kind, AttributeData attribute, AttributeSyntax syntax, Dictionary<string, int> counters)
            {
                int Positional(int index) =>
                    index < attribute.ConstructorArguments.Length && attribute.ConstructorArguments[index].Value is int value ? value : 0;

                // A square size, then each axis's own when written.
                AxisPair PerAxis(string name, int square) =>
                    new AxisPair(Named(attribute, name + "Height", square), Named(attribute, name + "Width", square));

                bool convolution = kind == LayerKind.Conv2d || kind == LayerKind.Conv1d;
                bool pooling = kind == LayerKind.MaxPool2d || kind == LayerKind.AvgPool2d;
                double probability = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is double p ? p : 0;
                AxisPair kernel = PerAxis("Kernel", convolution ? Named(attribute, "Kernel", 1) : pooling ? Positional(0) : 0);
                AxisPair stride = PerAxis("Stride", Named(attribute, "Stride", convolution ? 1 : 0));
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

                AxisPair outputSize = default;
                if (kind == LayerKind.AdaptiveAvgPool2d)
                {
                    // GlobalAvgPool2d has no arguments; AdaptiveAvgPool2d(n) binds to the (n, n) constructor.
                    outputSize = attribute.AttributeClass?.Name == "GlobalAvgPool2dAttribute"
                        ? AxisPair.Square(1)
                        : attribute.ConstructorArguments.Length == 1 ? AxisPair.Square(Positional(0)) : new AxisPair(Positional(0), Positional(1));
                }

                string? declaredName = Named<string?>(attribute, "Name", null);
                string name = string.IsNullOrWhiteSpace(declaredName) ? DefaultName(kind, counters) : declaredName!;
                return new LayerModel(
                    kind,
                    name,
                    OutChannels: convolution ? Positional(0) : 0,
                    InChannels: Named(attribute, "InChannels", 0),
                    Kernel: kernel,
                    Stride: stride,
                    Padding: padding,
                    Dilation: dilation,
                    InFeatures: kind == LayerKind.Linear ? Positional(0) : 0,
                    OutFeatures: kind == LayerKind.Linear ? Positional(1) : 0,
                    HasBias: Named(attribute, "Bias", true),
                    Probability: probability,
                    Location: LocationInfo.From(syntax),
                    Arguments: ArgumentSites(kind, syntax).ToEquatableArray(),
                    Groups: Named(attribute, "Groups", 1),
                    PaddingMode: Named<string?>(attribute, "PaddingMode", null),
                    CeilMode: Named(attribute, "CeilMode", false),
                    OutputSize: outputSize,
                    NegativeSlope: Named(attribute, "NegativeSlope", 0.01),
                    CountIncludePad: Named(attribute, "CountIncludePad", true),
                    NumFeatures: kind == LayerKind.BatchNorm2d ? Positional(0) : 0,
                    Epsilon: Named(attribute, "Eps", 1e-5),
                    Momentum: Named(attribute, "Momentum", 0.1));
            }

            // Positional arguments are named after the constructor parameters they bind to, so diagnostics can point at them.
            private static IEnumerable<ArgumentSite> ArgumentSites(LayerKind kind, AttributeSyntax syntax)
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

            private static string DefaultName(LayerKind kind, Dictionary<string, int> counters)
            {
                string prefix = kind switch
                {
                    LayerKind.Conv2d or LayerKind.Conv1d => "conv",
                    LayerKind.MaxPool2d or LayerKind.AvgPool2d or LayerKind.AdaptiveAvgPool2d => "pool",
                    LayerKind.ReLU => "relu",
                    LayerKind.LeakyReLU => "leakyrelu",
                    LayerKind.Sigmoid => "sigmoid",
                    LayerKind.Tanh => "tanh",
                    LayerKind.BatchNorm2d => "bn",
                    LayerKind.Flatten => "flatten",
                    LayerKind.Linear => "fc",
                    LayerKind.Softmax => "softmax",
                    LayerKind.LogSoftmax => "logsoftmax",
                    _ => "dropout",
                };
                counters.TryGetValue(prefix, out int count);
                counters[prefix] = ++count;
                // A network usually flattens once; "flatten" reads better than "flatten1" in derivations.
                return kind == LayerKind.Flatten && count == 1 ? prefix : prefix + count.ToString(CultureInfo.InvariantCulture);
            }

            // A symbol's attributes come from all its partial declarations: the first [Network] decides which one generates.
            private static bool CarriesFirstNetworkAttribute(TypeDeclarationSyntax declaration, INamedTypeSymbol symbol, CancellationToken cancellationToken)
            {
                SyntaxNode? syntax = symbol.GetAttributes()
                    .FirstOrDefault(attribute => attribute.AttributeClass?.ToDisplayString() == NetworkAttributeName)?
                    .ApplicationSyntaxReference?.GetSyntax(cancellationToken);
                return syntax is null || (syntax.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(syntax.Span));
            }

            private static bool HasNamed(AttributeData attribute, string name) => attribute.NamedArguments.Any(pair => pair.Key == name);

            private static T Named<T>(AttributeData attribute, string name, T fallback)
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
