using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

public class NotebookExecutionTests
{
    public static TheoryData<string> Notebooks() => ExecutedNotebooks.All();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_without_a_failed_cell(string notebook)
    {
        var executed = await ExecutedNotebooks.Get(notebook);

        Assert.True(executed.Result.Succeeded, executed.Result.Summary);
        Assert.Contains(executed.Result.Cells, c => c.Status == CellStatus.Succeeded);
        // Every code cell ran, none was skipped because of an earlier failure.
        Assert.DoesNotContain(executed.Result.Cells, c => c.Status == CellStatus.NotRun);
    }

    [Fact]
    public void Repository_has_the_setup_notebook() =>
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "notebooks", "00-setup.ipynb")));

    [Fact]
    public async Task Setup_notebook_outputs_show_the_environment_tensor_and_chart()
    {
        var executed = await ExecutedNotebooks.Get("00-setup.ipynb");
        var outputs = executed.Document.Elements.SelectMany(e => e.Outputs).ToList();
        string text = string.Join("\n", outputs.OfType<Microsoft.DotNet.Interactive.Documents.TextElement>().Select(t => t.Text));
        string data = string.Join("\n", outputs.OfType<Microsoft.DotNet.Interactive.Documents.ReturnValueElement>().SelectMany(r => r.Data.Values)
            .Concat(outputs.OfType<Microsoft.DotNet.Interactive.Documents.DisplayElement>().SelectMany(d => d.Data.Values)));

        Assert.Contains("TorchSharp: 0.107.0", text, StringComparison.Ordinal);
        Assert.Contains("device:", text, StringComparison.Ordinal);
        // Row sums of arange(12).reshape(3, 4): 0+1+2+3, 4+5+6+7, 8+9+10+11.
        Assert.Contains("[6, 22, 38]", data, StringComparison.Ordinal);
        // WorkshopKit's notebook formatter (Visuals/NotebookChart) turned the chart into HTML.
        Assert.Contains("Plotly chart will be drawn inside this DIV", data, StringComparison.Ordinal);
    }
}
