using System.Globalization;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace WorkshopKit.Visuals;

/// <summary>
/// The HTML a chart shows as in a notebook client (Jupyter, VS Code, dotnet-repl, the kit's runner). Plotly.NET.Interactive's
/// formatter loads require.js and plotly.js from a CDN, so offline every chart is blank; this one embeds the bundled
/// plotly.js in the first chart of a kernel session (outputs of one notebook share a page) and has later charts wait
/// for it. It is written here because no maintained package renders Plotly.NET charts offline in a notebook.
/// </summary>
/// <remarks>Taught in: 00-setup, "A first chart with Plotly.NET" (charts display themselves through it).</remarks>
public static partial class NotebookChart
{
    private static int charts;
    private static int plotlySent;

    /// <summary>The HTML fragment for <paramref name="chart"/>: a div and a script that draws into it.</summary>
    public static string ToHtml(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var options = DisplayOptions.setPlotlyReference(PlotlyJSReference.NoReference).Invoke(new DisplayOptions());
        string html = GenericChart.toChartHTML(GenericChart.addDisplayOptions(options, chart));
        int number = Interlocked.Increment(ref charts);
        // Plotly.NET names the div with a random GUID; a counter keeps executed notebooks reproducible.
        var id = DivId().Match(html);
        if (id.Success)
        {
            string guid = id.Groups[1].Value, stable = string.Create(CultureInfo.InvariantCulture, $"workshopkit-chart-{number}");
            html = html.Replace(guid, stable, StringComparison.Ordinal).Replace(guid.Replace("-", "", StringComparison.Ordinal), stable.Replace("-", "_", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        html = RenderCall().Replace(html, m => WaitForPlotly(m.Groups[1].Value), 1);
        return TakePlotlyScript() + html;
    }

    /// <summary>
    /// The inline plotly.js script element if no output of this session carried it yet (and marks it sent), else "".
    /// A chart that is redrawn in place (<see cref="LiveTrainingChart"/>) shows it in an output of its own first, since
    /// an update replaces the output that held it.
    /// </summary>
    public static string TakePlotlyScript() => Interlocked.Exchange(ref plotlySent, 1) == 0 ? PlotlyJs.InlineScriptElement() : "";

    /// <summary>
    /// Starts a new page: the next chart carries plotly.js again and chart numbers start from 1 (the in-process runner
    /// calls this before each notebook, since it runs them all in one process).
    /// </summary>
    public static void ResetSession()
    {
        Interlocked.Exchange(ref plotlySent, 0);
        Interlocked.Exchange(ref charts, 0);
    }

    private static string WaitForPlotly(string render) =>
        "(function (draw, tries) { (function attempt() {\n" +
        "  if (window.Plotly) { draw(); return; }\n" +
        "  if (tries-- > 0) { setTimeout(attempt, 50); return; }\n" +
        $"  console.error('WorkshopKit: plotly.js is not on this page; run the notebook from its first cell (the first chart of a session embeds plotly.js).');\n" +
        $"}})(); }})({render}, 200);";

    [GeneratedRegex("""<div id="([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})">""")]
    private static partial Regex DivId();

    [GeneratedRegex(@"^(renderPlotly_\w+)\(\);\s*$", RegexOptions.Multiline)]
    private static partial Regex RenderCall();
}
