using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
    /// Fixes a mismatched Linear in-features (CG0001), Conv2d in-channels (CG0008) or BatchNorm2d features (CG0025) by writing the size the
    /// generator inferred, which it passes in the diagnostic's <c>ConvGen.InferredValue</c> property.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InferredSizeCodeFixProvider))]
    [Shared]
    public sealed class InferredSizeCodeFixProvider : CodeFixProvider
    {
        /// <summary>Must match the generator's <c>DiagnosticInfo.InferredValueProperty</c>.</summary>
        public const string InferredValueProperty = "ConvGen.InferredValue";

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CG0001", "CG0008", "CG0025");

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(InferredValueProperty, out string? text)
                    || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int inferred))
                {
                    continue;
                }

                AttributeArgumentSyntax? argument = root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeArgumentSyntax>();
                if (argument is null)
                {
                    continue;
                }

                string what = diagnostic.Id switch
                {
                    "CG0001" => "in-features",
                    "CG0025" => "features",
                    _ => "in-channels",
                };
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Set {what} to {inferred}, the size that flows in",
                        cancellationToken => ReplaceAsync(context.Document, root, argument, inferred, cancellationToken),
                        equivalenceKey: nameof(InferredSizeCodeFixProvider) + diagnostic.Id),
                    diagnostic);
            }
        }

        private static Task<Document> ReplaceAsync(Document document, SyntaxNode root, AttributeArgumentSyntax argument, int value, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExpressionSyntax literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value))
                .WithTriviaFrom(argument.Expression);
            return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, literal)));
        }
    }
}
