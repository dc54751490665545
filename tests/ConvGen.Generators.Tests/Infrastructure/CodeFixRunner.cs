using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace ConvGen.Generators.Tests.Infrastructure;

/// <summary>
/// A code fix as the IDE runs it: the sources as one AdhocWorkspace project's documents, at the paths the generator's
/// diagnostics name (<c>Source0.cs</c>, ...), the fixes a provider offers for a diagnostic, and the texts after one.
/// </summary>
internal static class CodeFixRunner
{
    /// <summary>The fixes <paramref name="provider"/> offers for <paramref name="diagnostic"/>, asked from the first source's document.</summary>
    public static async Task<List<CodeAction>> ActionsAsync(CodeFixProvider provider, string[] sources, Diagnostic diagnostic) =>
        (await OfferAsync(provider, sources, diagnostic)).Actions;

    /// <summary>The one fix offered, applied: every source's text after it, and the fix's title.</summary>
    public static async Task<(string[] Sources, string Title)> ApplyAsync(CodeFixProvider provider, string[] sources, Diagnostic diagnostic)
    {
        (List<CodeAction> actions, Document[] documents) = await OfferAsync(provider, sources, diagnostic);
        CodeAction fix = Assert.Single(actions);
        ImmutableArray<CodeActionOperation> operations = await fix.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.IsType<ApplyChangesOperation>(Assert.Single(operations)).ChangedSolution;
        var texts = new List<string>();
        foreach (Document document in documents)
        {
            texts.Add((await changed.GetDocument(document.Id)!.GetTextAsync()).ToString());
        }

        return (texts.ToArray(), fix.Title);
    }

    private static async Task<(List<CodeAction> Actions, Document[] Documents)> OfferAsync(CodeFixProvider provider, string[] sources, Diagnostic diagnostic)
    {
        Compilation compilation = GeneratorDriverHelper.Compile(sources);
        using var workspace = new AdhocWorkspace();
        ProjectInfo projectInfo = ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Networks", "Networks", LanguageNames.CSharp,
            compilationOptions: compilation.Options, parseOptions: GeneratorDriverHelper.ParseOptions, metadataReferences: compilation.References);
        Project project = workspace.AddProject(projectInfo);
        DocumentId[] ids = sources.Select((source, index) => workspace.AddDocument(DocumentInfo.Create(
            DocumentId.CreateNewId(project.Id), "Source" + index + ".cs", loader: TextLoader.From(TextAndVersion.Create(SourceText.From(source), VersionStamp.Default)),
            filePath: "Source" + index + ".cs")).Id).ToArray();

        // From the solution holding every document: a fix may edit another one than the diagnostic's.
        Document[] documents = ids.Select(id => workspace.CurrentSolution.GetDocument(id)!).ToArray();
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(documents[0], diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return (actions, documents);
    }
}
