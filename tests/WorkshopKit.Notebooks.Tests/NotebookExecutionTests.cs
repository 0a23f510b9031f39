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

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Every_executed_notebook_with_charts_carries_plotly_js_exactly_once(string notebook)
    {
        // The main job runs every notebook in one process; each saved notebook is still its own page in a client,
        // so its first chart must carry plotly.js (the runner starts a new chart session per notebook).
        var executed = await ExecutedNotebooks.Get(notebook);
        var html = executed.Document.Elements.SelectMany(e => e.Outputs).Select(o => o switch
        {
            Microsoft.DotNet.Interactive.Documents.DisplayElement d => string.Concat(d.Data.Values),
            Microsoft.DotNet.Interactive.Documents.ReturnValueElement r => string.Concat(r.Data.Values),
            _ => "",
        }).ToList();
        int charts = html.Sum(h => ChartsInPage.ChartIds(h).Count);
        int copies = html.Sum(h => System.Text.RegularExpressions.Regex.Count(h, "data-workshopkit-plotly="));
        Assert.Equal(charts > 0 ? 1 : 0, copies);
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
        // WorkshopKit's notebook formatter (Runtime/NotebookHost/NotebookChart) turned the chart into HTML.
        Assert.Contains("Plotly chart will be drawn inside this DIV", data, StringComparison.Ordinal);
    }
}
