using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Documents;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

public class BookHtmlTests
{
    [Fact]
    public async Task Setup_page_loads_the_shared_plotly_js_and_has_a_chart_div_without_cdn_references()
    {
        var executed = await ExecutedNotebooks.Get("00-setup.ipynb");

        string html = NotebookHtml.RenderPage(executed.Document, executed.Result, "00-setup.ipynb");

        // The executed notebook carries plotly.js in its first chart (the notebook formatter puts it there for clients)...
        string outputs = string.Concat(executed.Document.Elements.SelectMany(e => e.Outputs).Select(o => o switch
        {
            DisplayElement d => string.Concat(d.Data.Values),
            ReturnValueElement r => string.Concat(r.Data.Values),
            _ => "",
        }));
        Assert.Contains("data-workshopkit-plotly", outputs, StringComparison.Ordinal);
        // ...but the page holds no copy of it: it loads the one shared file, and that file is plotly.js.
        Assert.DoesNotContain(NotebookHtml.PlotlyJs[..2000], html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-workshopkit-plotly", html, StringComparison.Ordinal);
        Assert.Contains($"<script src=\"{NotebookHtml.PlotlyJsFile}\"></script>", html, StringComparison.Ordinal);
        Assert.True(html.Length < 1_000_000, $"the 00-setup page is {html.Length:N0} characters; without plotly.js it should be far below 1 MB");
        string folder = Path.Combine(Path.GetTempPath(), "wk-assets-" + Guid.NewGuid().ToString("N"));
        try
        {
            NotebookHtml.WriteAssets(folder);
            Assert.Equal(NotebookHtml.PlotlyJs, File.ReadAllText(Path.Combine(folder, NotebookHtml.PlotlyJsFile)));
        }
        finally { Directory.Delete(folder, recursive: true); }
        // Nothing is fetched from the network: no remote <script src> and no CDN copy of plotly or require.js.
        Assert.DoesNotMatch(@"<script[^>]*src\s*=\s*[""']https?:", html);
        Assert.DoesNotContain("cdn.plot.ly/plotly-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("require.min.js", html, StringComparison.Ordinal);
        // A chart div whose id the Plotly.newPlot call targets.
        var div = Regex.Match(html, @"<div id=""(?<id>workshopkit-chart-[0-9a-f]+-\d+)""><!-- Plotly chart will be drawn inside this DIV -->");
        Assert.True(div.Success, "no Plotly.NET chart div in the page");
        Assert.Contains($"Plotly.newPlot('{div.Groups["id"].Value}'", html.Replace("\"", "'", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_script_tags_and_cdn_addresses_are_neutralized()
    {
        const string chart = "<script src=\"https://cdn.plot.ly/plotly-latest.min.js\"></script><div id=\"c\"></div>" +
                             "<script>requirejs.config({paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}})</script>";

        string result = NotebookHtml.NeutralizeCdn(chart);

        Assert.DoesNotContain("https://", result, StringComparison.Ordinal);
        Assert.Contains("<div id=\"c\"></div>", result, StringComparison.Ordinal);
        Assert.Contains("requirejs.config", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_links_every_notebook_with_status_and_time()
    {
        var ok = new NotebookResult("/x/00-setup.ipynb", [new CellResult(1, "csharp", CellStatus.Succeeded, TimeSpan.FromSeconds(1), null)], TimeSpan.FromSeconds(2.5));
        var bad = new NotebookResult("/x/01-broken.ipynb",
            [new CellResult(1, "markdown", CellStatus.Skipped, TimeSpan.Zero, null), new CellResult(2, "csharp", CellStatus.Failed, TimeSpan.Zero, "boom")], TimeSpan.FromSeconds(1));

        string html = NotebookHtml.RenderIndex([(ok, "00-setup.html"), (bad, "01-broken.html")]);

        Assert.Contains("<a href=\"00-setup.html\">00-setup.ipynb</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"01-broken.html\">01-broken.ipynb</a>", html, StringComparison.Ordinal);
        Assert.Contains("2.5 s", html, StringComparison.Ordinal);
        Assert.Contains("failed at cell 2", html, StringComparison.Ordinal);
    }
}
