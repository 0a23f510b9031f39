using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// The lesson's code on the page and in the library are the same code: each block a notebook writes in a cell has
/// the same <c>forward</c>, token for token (comments and layout aside), as the library block the later notebooks use.
/// Edit one and this fails until the other follows. (That they compute the same is shown in the notebook itself, by
/// <c>ModuleComparison</c> on shared weights, and checked by every notebook run.)
/// </summary>
public class LessonCodeTests
{
    public static TheoryData<string, string, string, string> Blocks() => new()
    {
        { "05-collaborative-filters.ipynb", "Collaborative", "Blocks/CollaborativeBlock.cs", "CollaborativeBlock" },
        { "06-residual-blocks.ipynb", "Residual", "Blocks/ResidualBlock.cs", "ResidualBlock" },
        { "07-dense-blocks.ipynb", "Dense", "Blocks/DenseBlock.cs", "DenseBlock" },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void TheCellsForwardIsTheLibrarysForward(string notebook, string cellClass, string libraryFile, string libraryClass)
    {
        var cells = IpynbJson.Cells(IpynbJson.Load(Path.Combine(RepoRoot.Path, "notebooks", notebook)))
            .Where(c => IpynbJson.CellType(c) == "code").Select(IpynbJson.Source).ToList();
        var written = cells.Select(c => FindClass(c, cellClass, SourceCodeKind.Script)).Where(c => c is not null).ToList();
        Assert.True(written.Count == 1, $"{notebook} must declare class {cellClass} in exactly one cell (found {written.Count}).");
        string librarySource = File.ReadAllText(Path.Combine(RepoRoot.Path, "lib", "WorkshopKit", libraryFile));
        var library = FindClass(librarySource, libraryClass, SourceCodeKind.Regular);
        Assert.NotNull(library);

        string cellForward = ForwardTokens(written[0]!);
        string libraryForward = ForwardTokens(library);
        Assert.True(cellForward == libraryForward,
            $"{cellClass}.forward in {notebook} and {libraryClass}.forward in lib/WorkshopKit/{libraryFile} differ; make them the same code.\n" +
            $"cell:    {cellForward}\nlibrary: {libraryForward}");
        Assert.Contains(notebook[..2], librarySource, StringComparison.Ordinal); // the library's back-link names the notebook
        Assert.Contains($"the cell's <c>{cellClass}</c>", librarySource, StringComparison.Ordinal);
    }

    [Fact]
    public void ADifferentForwardIsCaught()
    {
        // The comparison itself must be able to fail: a residual forward without the final activation differs.
        const string a = "class R { public override Tensor forward(Tensor input) { var y = main.call(input); return finalActivation.call(y + shortcut.call(input)); } }";
        const string b = "class R { public override Tensor forward(Tensor input) { var y = main.call(input); return y + shortcut.call(input); } }";
        const string c = "class R { public override Tensor forward(Tensor input)\n{ // same, other layout\n  var y = main.call(input);\n  return finalActivation.call(y + shortcut.call(input)); } }";
        var ra = FindClass(a, "R", SourceCodeKind.Script)!;
        Assert.NotEqual(ForwardTokens(ra), ForwardTokens(FindClass(b, "R", SourceCodeKind.Script)!));
        Assert.Equal(ForwardTokens(ra), ForwardTokens(FindClass(c, "R", SourceCodeKind.Script)!));
    }

    private static ClassDeclarationSyntax? FindClass(string source, string name, SourceCodeKind kind) =>
        CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: kind)).GetRoot()
            .DescendantNodes().OfType<ClassDeclarationSyntax>().FirstOrDefault(c => c.Identifier.Text == name);

    /// <summary>The forward method's signature and body as tokens: comments, whitespace and the doc comment do not count.</summary>
    private static string ForwardTokens(ClassDeclarationSyntax type)
    {
        var forward = type.Members.OfType<MethodDeclarationSyntax>().SingleOrDefault(m => m.Identifier.Text == "forward");
        Assert.True(forward is not null, $"class {type.Identifier.Text} has no forward method");
        return string.Join(" ", forward.DescendantTokens().Select(t => t.Text));
    }
}
