using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using ConvGen.Generators.Diagnostics;
using ConvGen.Generators.Model;
using ConvGen.Planning;
using ConvGen.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.Generators
{
    /// <summary>
    /// What in a declaration would make the generated code fail to compile though every shape fits: a record form the
    /// generated half cannot extend (abstract, a primary constructor, a base record...), names the generated code
    /// already uses, layer names that give one identifier, settings no float32 literal can hold. Each is reported
    /// where it was written, and stops generation, so the build fails on a ConvGen error and never in generated code.
    /// </summary>
    internal static class DeclarationChecks
    {
        // What the generated half declares in every network, whatever its layers.
        private static readonly string[] AlwaysGenerated =
        {
            "InputChannels", "InputSize", "OutputSize", "ParameterCount", "SummaryText", "Summary", "Layout", "parameters",
            "Parameters", "FromParameters", "CreateWorkspace", "CreateInferenceWorkspace", "Initialize", "Workspace", "Architecture",
        };

        private const int MaxIdentifierBytes = 1000;

        // The generated methods' parameter types: a user method of the same name and other parameters is an overload.
        private static readonly Dictionary<string, string[]> GeneratedMethods = new Dictionary<string, string[]>
        {
            ["Summary"] = new string[0],
            ["FromParameters"] = new[] { "ConvGen.ParameterSet" },
            ["CreateWorkspace"] = new[] { "int" },
            ["CreateInferenceWorkspace"] = new[] { "int" },
            ["Initialize"] = new[] { "int" },
        };

        public static IEnumerable<DiagnosticInfo> Check(
            INamedTypeSymbol symbol, TypeDeclarationSyntax declaration, NetworkModel model, NetworkSource source, Compilation compilation, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            // Every layer, those inside blocks too (by their dotted names, located on the top-level use): each becomes members.
            DeclaredLayer[] layers = NetworkPlanner.AllLayers(model.Layers).Select(layer => new DeclaredLayer(layer.Spec, layer.Name, source.Layers[layer.Site])).ToArray();
            CheckRecordForm(symbol, declaration, diagnostics, cancellationToken);
            CheckNames(symbol, declaration, model, layers, compilation, diagnostics);
            CheckLayerNames(layers, diagnostics);
            CheckSettings(layers, diagnostics);
            return diagnostics;
        }

        /// <summary>A layer as declared, with the name the planner gives it and where it was written.</summary>
        private sealed record DeclaredLayer(LayerSpec Spec, string Name, LayerSource Source)
        {
            public LocationInfo? LocationOf(string argument) => Source.LocationOf(argument, null);
        }

        // Every member name the generated half of the model declares in the record itself (the workspace's are its own).
        private static HashSet<string> GeneratedMemberNames(NetworkModel model, DeclaredLayer[] layers)
        {
            var names = new HashSet<string>(AlwaysGenerated);
            names.UnionWith(model.Input.IsSequence ? new[] { "InputLength" } : new[] { "InputHeight", "InputWidth" });
            foreach (DeclaredLayer layer in layers)
            {
                // An offset constant per tensor the catalogue lists; only the suffixes matter here, so any sizes that
                // divide do (the declaration's own may not: its groups are checked after this).
                LayerSpec spec = layer.Spec with { Groups = 1 };
                foreach (TensorSpec tensor in LayerCatalog.Of(spec.Kind).Tensors(spec, ActivationShape.Planes(1, 1, 1)))
                {
                    names.Add(new ParameterPlan(new PlannedTensor(string.Empty, 0, tensor), Identifiers.Pascal(layer.Name)).OffsetName);
                    if (!tensor.Trainable)
                    {
                        names.Add("BufferStart");
                    }
                }
            }

            return names;
        }

        private static void CheckRecordForm(INamedTypeSymbol symbol, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            void Report(Location? location, string what, string why) =>
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedRecordForm, LocationInfo.From(location ?? declaration.Identifier.GetLocation()), symbol.Name, what, why));

            List<TypeDeclarationSyntax> parts = symbol.DeclaringSyntaxReferences
                .Select(reference => reference.GetSyntax(cancellationToken))
                .OfType<TypeDeclarationSyntax>()
                .OrderBy(part => part == declaration ? 0 : 1)
                .ToList();
            Location? Modifier(SyntaxKind kind)
            {
                SyntaxToken written = parts.SelectMany(part => part.Modifiers).FirstOrDefault(token => token.IsKind(kind));
                return written.IsKind(kind) ? written.GetLocation() : null;
            }

            if (symbol.IsAbstract)
            {
                Report(Modifier(SyntaxKind.AbstractKeyword), "is abstract", "Initialize and FromParameters create it with 'new'; remove 'abstract'");
            }

            if (symbol.IsFileLocal)
            {
                Report(Modifier(SyntaxKind.FileKeyword), "is file-local", "its generated half is in another file; remove 'file'");
            }

            ParameterListSyntax? primary = parts.OfType<RecordDeclarationSyntax>().Select(part => part.ParameterList).FirstOrDefault(list => list is not null);
            if (primary is not null)
            {
                Report(primary.GetLocation(), "has a primary constructor", "the constructor ConvGen generates cannot chain to it; remove the parameter list");
            }

            if (symbol.BaseType is INamedTypeSymbol baseType && baseType.SpecialType != SpecialType.System_Object && baseType.TypeKind != TypeKind.Error)
            {
                BaseTypeSyntax? written = parts.Select(part => part.BaseList?.Types.FirstOrDefault()).FirstOrDefault(type => type is not null);
                Report(written?.GetLocation(), "derives from '" + baseType.Name + "'", "a network derives from object alone; remove the base record");
            }

            foreach (ISymbol member in symbol.GetMembers())
            {
                if (member.IsImplicitlyDeclared || member.Locations.FirstOrDefault(location => location.IsInSource) is not Location location)
                {
                    continue;
                }

                // A constructor that chains to another (: this(...)) ends in one that sets the parameters; the generated
                // one takes a ParameterSet, so a user one with that parameter would be its duplicate.
                if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor && primary is null
                    && (!ChainsToAnother(constructor, cancellationToken) || TakesParameters(constructor, "ConvGen.ParameterSet")))
                {
                    Report(location, "declares a constructor", "networks are created by Initialize and FromParameters alone, which could not set what it sets; remove it");
                }
                else if (member is IPropertySymbol { IsRequired: true } || member is IFieldSymbol { IsRequired: true })
                {
                    Report(location, "has the required member '" + member.Name + "'", "FromParameters cannot set it; remove 'required'");
                }
            }
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Shorten(string text) => text.Length > 40 ? text.Substring(0, 40) + "..." : text;

        private static bool ChainsToAnother(IMethodSymbol constructor, CancellationToken cancellationToken) =>
            constructor.DeclaringSyntaxReferences.Select(reference => reference.GetSyntax(cancellationToken)).OfType<ConstructorDeclarationSyntax>()
                .Any(syntax => syntax.Initializer?.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword) == true);

        private static bool TakesParameters(IMethodSymbol method, params string[] types) =>
            method.Parameters.Select(parameter => parameter.Type.ToDisplayString()).SequenceEqual(types);

        private static void CheckNames(INamedTypeSymbol symbol, TypeDeclarationSyntax declaration, NetworkModel model, DeclaredLayer[] layers, Compilation compilation, List<DiagnosticInfo> diagnostics)
        {
            HashSet<string> generated = GeneratedMemberNames(model, layers);
            LocationInfo? name = LocationInfo.From(declaration.Identifier.GetLocation());
            if (generated.Contains(symbol.Name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameTakenByGeneratedMember, name, "Network", symbol.Name, symbol.Name));
            }

            foreach (ISymbol member in symbol.GetMembers())
            {
                // A method may overload a generated one (Initialize(string) beside Initialize(int)); anything else clashes.
                bool overload = member is IMethodSymbol method && GeneratedMethods.TryGetValue(method.Name, out string[]? parameters) && !TakesParameters(method, parameters);
                if (!member.IsImplicitlyDeclared && !overload && generated.Contains(member.Name) && member.Locations.FirstOrDefault(location => location.IsInSource) is Location location)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameTakenByGeneratedMember, LocationInfo.From(location), "Member", member.Name, symbol.Name));
                }
            }

            // The generated code names its own types in full (global::ConvGen.ParameterSet): a network with the full name
            // of a referenced namespace or type would be taken for it, or it for the network. The compilation's namespace
            // holds the references' members too; the symbol's own holds this assembly's alone.
            INamespaceSymbol? merged = compilation.GetCompilationNamespace(symbol.ContainingNamespace);
            ISymbol? twin = merged?.GetMembers(symbol.Name)
                .FirstOrDefault(other => other is INamespaceSymbol || (other is INamedTypeSymbol { Arity: 0 } && !SymbolEqualityComparer.Default.Equals(other, symbol)));
            if (twin is not null)
            {
                string fullName = model.Namespace.Length == 0 ? model.TypeName : model.Namespace + "." + model.TypeName;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNamedLikeReferencedSymbol, name, fullName, twin is INamespaceSymbol ? "namespace" : "type"));
            }
        }

        private static void CheckLayerNames(DeclaredLayer[] layers, List<DiagnosticInfo> diagnostics)
        {
            // Layer names become members (Conv1Geometry, conv1Output): distinct names must stay distinct identifiers.
            // Both casings count, since fields are camel-cased; equal names are CG0013's.
            var pascal = new Dictionary<string, DeclaredLayer>();
            var camel = new Dictionary<string, DeclaredLayer>();
            foreach (DeclaredLayer layer in layers)
            {
                string identifier = Identifiers.Pascal(layer.Name), field = Identifiers.Camel(layer.Name);
                DeclaredLayer? earlier = pascal.TryGetValue(identifier, out DeclaredLayer? first) ? first : camel.TryGetValue(field, out first) ? first : null;
                if (earlier is not null && earlier.Name != layer.Name)
                {
                    string shared = pascal.ContainsKey(identifier) ? identifier : field;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerIdentifiersCollide, layer.LocationOf("Name"), earlier.Name, layer.Name, shared));
                }

                // Metadata names hold at most 1023 UTF-8 bytes; the longest suffix (NumBatchesTrackedOffset) must still fit.
                int bytes = Encoding.UTF8.GetByteCount(identifier);
                if (bytes > MaxIdentifierBytes)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.LayerNameTooLong, layer.LocationOf("Name"), Shorten(layer.Name), Shorten(identifier), Text(bytes), Text(MaxIdentifierBytes)));
                }

                if (!pascal.ContainsKey(identifier))
                {
                    pascal[identifier] = layer;
                }

                if (!camel.ContainsKey(field))
                {
                    camel[field] = layer;
                }
            }
        }

        // The one setting written as a float literal that no other check bounds.
        private static void CheckSettings(DeclaredLayer[] layers, List<DiagnosticInfo> diagnostics)
        {
            foreach (DeclaredLayer layer in layers)
            {
                float slope = (float)layer.Spec.NegativeSlope;
                if (layer.Spec.Kind == LayerKind.LeakyReLU && (float.IsNaN(slope) || float.IsInfinity(slope)))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.NegativeSlopeNotFinite, layer.LocationOf("NegativeSlope"), layer.Name, layer.Spec.NegativeSlope.ToString("R", CultureInfo.InvariantCulture)));
                }
            }
        }
    }
}
