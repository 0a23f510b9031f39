using System.Text.RegularExpressions;
using WorkshopKit.Visuals;
using WorkshopKit.Runtime.NotebookHost;

namespace WorkshopKit.Tests.Visuals;

/// <summary>
/// The HTML that charts and diagrams show as in notebook clients (issue 27): ids that never repeat across kernel sessions
/// and notebooks but stay reproducible in the runner, the bundled script carried once per session, a note instead of an
/// empty output or Mermaid source where scripts do not run. The real-browser side is JupyterLivePageTests.
/// </summary>
public partial class NotebookOutputTests
{
    private static Plotly.NET.GenericChart Line(double slope) =>
        Plotly.NET.CSharp.Chart.Line<int, double, string>(new[] { 1, 2, 3 }, new[] { slope, 2 * slope, 3 * slope }).WithTitle($"slope {slope}");

    private static string ChartId(string html) => ChartDiv().Match(html) is { Success: true } m ? m.Groups["id"].Value : throw new InvalidOperationException("no chart div in:\n" + html[..Math.Min(html.Length, 400)]);

    [Fact]
    public void Chart_ids_are_unique_within_a_session_and_reproducible_per_notebook_in_the_runner()
    {
        NotebookChart.ResetSession();
        string first = NotebookChart.ToHtml(Line(1)), second = NotebookChart.ToHtml(Line(2));
        Assert.NotEqual(ChartId(first), ChartId(second));
        Assert.Contains("data-workshopkit-plotly", first, StringComparison.Ordinal); // the first chart of a session carries plotly.js
        Assert.DoesNotContain("data-workshopkit-plotly", second, StringComparison.Ordinal);
        Assert.Contains($"Plotly.newPlot('{ChartId(second)}'", second, StringComparison.Ordinal);

        // The same notebook again (the runner resets before each): the same ids, so executed notebooks are reproducible.
        NotebookChart.ResetSession();
        Assert.Equal(ChartId(first), ChartId(NotebookChart.ToHtml(Line(1))));
        Assert.Equal(ChartId(second), ChartId(NotebookChart.ToHtml(Line(2))));

        // Another notebook (another first chart): other ids, though the counter restarted, so two pages never share one.
        NotebookChart.ResetSession();
        string other = ChartId(NotebookChart.ToHtml(Line(5)));
        Assert.NotEqual(ChartId(first), other);
        Assert.EndsWith("-1", other, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chart_says_what_to_do_until_its_script_draws_it_and_keeps_the_toolbar_off_the_title()
    {
        string html = NotebookChart.ToHtml(Line(3));
        string id = ChartId(html);
        int note = html.IndexOf(NotebookChart.NotDrawnNote.Replace(">", "&gt;", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(note >= 0 && note < html.IndexOf($"<div id=\"{id}\">", StringComparison.Ordinal), "the note must come right before the chart's div");
        Assert.Contains("note.remove()", html, StringComparison.Ordinal);
        Assert.Contains("document.body.contains(div)", html, StringComparison.Ordinal); // waits until Jupyter attached the output
        Assert.Contains("\"modebar\":{\"orientation\":\"v\"}", html, StringComparison.Ordinal);
        Assert.Contains("\"displaylogo\":false", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diagram_carries_mermaid_js_once_per_session_and_shows_no_source_without_scripts()
    {
        NotebookChart.ResetSession();
        const string source = "flowchart LR\n  a[input 1x28x28] --> b[conv 3x3]";
        string first = new MermaidDiagram(source).ToHtml(), second = new MermaidDiagram(source).ToHtml();
        Assert.Contains("data-workshopkit-mermaid", first, StringComparison.Ordinal);
        Assert.Contains("window.mermaid", first, StringComparison.Ordinal);
        Assert.DoesNotContain("data-workshopkit-mermaid", second, StringComparison.Ordinal);
        Assert.True(first.Length > 1_000_000 && second.Length < 5_000, $"first {first.Length:N0}, second {second.Length:N0} characters");
        string Id(string html) => Regex.Match(html, "id=\"(workshopkit-diagram-[0-9a-f]+-\\d+)\"").Groups[1].Value;
        Assert.NotEqual(Id(first), Id(second));

        // Without scripts (an untrusted notebook) the page shows the note; the source is only inside the script, escaped.
        string markup = Regex.Replace(second, "<script.*?</script>", "", RegexOptions.Singleline);
        Assert.DoesNotContain("flowchart", markup, StringComparison.Ordinal);
        Assert.Contains("File &gt; Trust Notebook", markup, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"mermaid\"></pre>", markup, StringComparison.Ordinal);
        Assert.Contains("flowchart LR\\n  a[input 1x28x28] --\\u003E b[conv 3x3]", second, StringComparison.Ordinal);
        Assert.Equal(source, new MermaidDiagram(source).ToString());
    }

    [GeneratedRegex("""<div id="(?<id>workshopkit-chart-[0-9a-f]{8}-\d+)"><!-- Plotly chart""")]
    private static partial Regex ChartDiv();
}
