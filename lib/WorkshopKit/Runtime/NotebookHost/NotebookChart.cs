using System.Text.RegularExpressions;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Runtime.NotebookHost;

/// <summary>
/// The HTML a chart shows as in a notebook client (Jupyter, VS Code, dotnet-repl, the kit's runner). Plotly.NET.Interactive's
/// formatter loads require.js and plotly.js from a CDN, so offline every chart is blank; this one embeds the bundled
/// plotly.js in the first chart of a kernel session (outputs of one notebook share a page) and has later charts wait
/// for it. It is written here because no maintained package renders Plotly.NET charts offline in a notebook.
/// </summary>
/// <remarks>Taught in: 00-setup, "A first chart with Plotly.NET" (charts display themselves through it).</remarks>
internal static partial class NotebookChart
{
    private static int plotlySent;

    /// <summary>
    /// The line a chart's output shows until its script has drawn it (the script removes it): in a notebook that Jupyter
    /// does not trust, scripts do not run and the output would otherwise be empty, with no hint why.
    /// </summary>
    public const string NotDrawnNote = "This chart is drawn by a script that has not run. In Jupyter: File > Trust Notebook (or run the cell again).";

    /// <summary>
    /// The HTML fragment for <paramref name="chart"/>: a one-line note, a div and a script that draws into it (and removes
    /// the note). The div's id is unique across kernel sessions and saved outputs (<see cref="OutputIds"/>), so a cell
    /// re-run after a restart draws into its own output, never into an older one on the same page.
    /// </summary>
    public static string ToHtml(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var options = DisplayOptions.setPlotlyReference(PlotlyJSReference.NoReference).Invoke(new DisplayOptions());
        string html = GenericChart.toChartHTML(GenericChart.addDisplayOptions(options, chart));
        // Plotly.NET names the div with a random GUID; OutputIds gives ids that are unique on a page and reproducible in the runner.
        var id = DivId().Match(html);
        string stable = "";
        if (id.Success)
        {
            string guid = id.Groups[1].Value;
            stable = OutputIds.Next("chart", html.Replace(guid, "", StringComparison.Ordinal).Replace(guid.Replace("-", "", StringComparison.Ordinal), "", StringComparison.Ordinal));
            html = html.Replace(guid, stable, StringComparison.Ordinal).Replace(guid.Replace("-", "", StringComparison.Ordinal), stable.Replace("-", "_", StringComparison.Ordinal), StringComparison.Ordinal);
            html = html.Replace($"<div id=\"{stable}\">", NoteElement(NotDrawnNote) + $"<div id=\"{stable}\">", StringComparison.Ordinal);
        }
        html = ConfigLine().Replace(html, m => m.Groups[1].Value + ModeBarConfig + m.Groups[2].Value, 1);
        html = LayoutLine().Replace(html, m => m.Groups[1].Value + ModeBarLayout + m.Groups[2].Value, 1);
        html = RenderCall().Replace(html, m => WaitForPlotly(m.Groups[1].Value, stable), 1);
        return TakePlotlyScript() + html;
    }

    /// <summary>
    /// The inline plotly.js script element if no output of this session carried it yet (and marks it sent), else "".
    /// A chart that is redrawn in place (<see cref="LiveTrainingChart"/>) shows it in an output of its own first, since
    /// an update replaces the output that held it.
    /// </summary>
    public static string TakePlotlyScript() => Interlocked.Exchange(ref plotlySent, 1) == 0 ? PlotlyJs.InlineScriptElement() : "";

    /// <summary>
    /// Starts a new page: the next chart (and the next diagram) carries its script again, and output ids restart in a
    /// reproducible series (the in-process runner calls this before each notebook, since it runs them all in one process).
    /// </summary>
    public static void ResetSession()
    {
        Interlocked.Exchange(ref plotlySent, 0);
        MermaidJs.ResetSession();
        OutputIds.StartReproducibleSession();
    }

    /// <summary>The note element that a chart's or diagram's script removes once it has drawn.</summary>
    internal static string NoteElement(string note) =>
        $"<div class=\"workshopkit-not-drawn\" style=\"color:#8a6d3b;font-style:italic;font-size:90%\">{System.Net.WebUtility.HtmlEncode(note)}</div>";

    // Plotly's toolbar sits over the top-right corner of a chart, where it covered the end of long titles whenever the
    // mouse was over the chart. Upright along the right edge (a chart's own "modebar" setting, written later, still
    // wins) and without the buttons no workshop chart needs (box and lasso select, spike lines, hover modes, the logo)
    // it leaves the title row free.
    private const string ModeBarLayout = "\"modebar\":{\"orientation\":\"v\"},";

    private const string ModeBarConfig =
        "\"displaylogo\":false,\"modeBarButtonsToRemove\":[\"select2d\",\"lasso2d\",\"autoScale2d\",\"toggleSpikelines\",\"hoverClosestCartesian\",\"hoverCompareCartesian\"],";

    // Waits until plotly.js is on the page and the chart's div is in the document: classic Jupyter runs an output's scripts
    // before it attaches the output, so drawing at once would find no div (or, with a reused id, someone else's).
    private static string WaitForPlotly(string render, string id) =>
        "(function (draw, id, tries) { (function attempt() {\n" +
        "  var div = id ? document.getElementById(id) : null;\n" +
        "  if (window.Plotly && (!id || (div && document.body.contains(div)))) {\n" +
        "    var note = div && div.previousElementSibling; if (note && note.className === 'workshopkit-not-drawn') note.remove();\n" +
        "    draw(); return; }\n" +
        "  if (tries-- > 0) { setTimeout(attempt, 50); return; }\n" +
        "  console.error('WorkshopKit: plotly.js is not on this page; run the notebook from its first cell (the first chart of a session embeds plotly.js).');\n" +
        $"}})(); }})({render}, '{id}', 200);";

    [GeneratedRegex("""<div id="([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})">""")]
    private static partial Regex DivId();

    [GeneratedRegex(@"^(renderPlotly_\w+)\(\);\s*$", RegexOptions.Multiline)]
    private static partial Regex RenderCall();

    [GeneratedRegex(@"^(\s*var config = \{)(.*\};\s*)$", RegexOptions.Multiline)]
    private static partial Regex ConfigLine();

    [GeneratedRegex(@"^(\s*var layout = \{)(.*\};\s*)$", RegexOptions.Multiline)]
    private static partial Regex LayoutLine();
}
