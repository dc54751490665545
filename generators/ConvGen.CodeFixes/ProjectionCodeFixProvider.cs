using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConvGen.CodeFixes
{
    /// <summary>
    /// Fixes a residual whose projection shortcut gives the wrong shape (CG0033) by writing, in the shortcut block's
    /// declaration, the Conv2d out-channels or stride the generator computed: the value is the diagnostic's
    /// <c>ConvGen.InferredValue</c> property, the argument its <c>ConvGen.FixArgument</c>, the Conv2d its first additional
    /// location. The generator offers one only when planning the edited shortcut gives the main branch's shape.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ProjectionCodeFixProvider))]
    [Shared]
    public sealed class ProjectionCodeFixProvider : CodeFixProvider
    {
        /// <summary>Must match the generator's <c>DiagnosticInfo.FixArgumentProperty</c>.</summary>
        public const string FixArgumentProperty = "ConvGen.FixArgument";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CG0033");

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(InferredSizeCodeFixProvider.InferredValueProperty, out string? text)
                    || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                    || !diagnostic.Properties.TryGetValue(FixArgumentProperty, out string? argumentName)
                    || argumentName is null
                    || diagnostic.AdditionalLocations.Count == 0)
                {
                    continue;
                }

                Location site = diagnostic.AdditionalLocations[0];
                Document? document = DocumentOf(context.Document, diagnostic.Location, site);
                SyntaxNode? root = document is null ? null : await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (document is null || root is null || !root.FullSpan.Contains(site.SourceSpan))
                {
                    continue;
                }

                SyntaxNode node = root.FindNode(site.SourceSpan, getInnermostNodeForTie: true);
                AttributeArgumentSyntax? argument = node.FirstAncestorOrSelf<AttributeArgumentSyntax>();
                AttributeSyntax? attribute = node.FirstAncestorOrSelf<AttributeSyntax>();
                if (argument is null && attribute is null)
                {
                    continue;
                }

                string what = argumentName == "Stride" ? "stride" : "out-channels";
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Set the projection's {what} to {value}, which gives the main branch's shape",
                        cancellationToken => WriteAsync(document, root, argument, attribute!, argumentName, value, cancellationToken),
                        equivalenceKey: nameof(ProjectionCodeFixProvider) + argumentName),
                    diagnostic);
            }
        }

        // The block may be declared in another file of the project than the residual that uses it.
        private static Document? DocumentOf(Document current, Location diagnostic, Location site)
        {
            string? path = site.SourceTree?.FilePath ?? site.GetLineSpan().Path;
            if (path is null || path == (diagnostic.SourceTree?.FilePath ?? diagnostic.GetLineSpan().Path) || path == current.FilePath)
            {
                return current;
            }

            return current.Project.Documents.FirstOrDefault(document => document.FilePath == path);
        }

        // A written argument gets the value; an argument not written (a stride left at 1) is added by name.
        private static Task<Document> WriteAsync(
            Document document, SyntaxNode root, AttributeArgumentSyntax? argument, AttributeSyntax attribute, string name, int value, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExpressionSyntax literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));
            if (argument is not null)
            {
                return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, literal.WithTriviaFrom(argument.Expression))));
            }

            AttributeArgumentSyntax added = SyntaxFactory.AttributeArgument(literal)
                .WithNameEquals(SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(name), SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)));
            AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
            SeparatedSyntaxList<AttributeArgumentSyntax> arguments = list.Arguments.Add(added);
            SyntaxToken comma = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
            AttributeSyntax written = attribute.WithArgumentList(list.WithArguments(
                SyntaxFactory.SeparatedList(arguments, Enumerable.Repeat(comma, arguments.Count - 1))));
            return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(attribute, written)));
        }
    }
}
