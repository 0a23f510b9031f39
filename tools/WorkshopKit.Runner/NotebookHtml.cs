using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Microsoft.DotNet.Interactive.Documents;

namespace WorkshopKit.Runner;

/// <summary>
/// Renders executed notebooks as standalone HTML pages that work offline: markdown through Markdig, code with its
/// outputs, and one shared copy of plotly.js (taken from the Plotly.NET package, written beside the pages by
/// <see cref="WriteAssets"/>) instead of a CDN or one 3.6 MB copy per page.
/// </summary>
public static partial class NotebookHtml
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private static readonly Lazy<(string Script, string Version)> Plotly = new(LoadPlotlyJs);

    /// <summary>The plotly.js bundle that Plotly.NET embeds as a resource (MIT license), shared by every page of the book.</summary>
    public static string PlotlyJs => Plotly.Value.Script;

    /// <summary>The version of the embedded plotly.js, e.g. <c>2.28.0</c>.</summary>
    public static string PlotlyJsVersion => Plotly.Value.Version;

    /// <summary>The file name of the shared plotly.js that every page loads, e.g. <c>plotly-2.28.0.min.js</c>.</summary>
    public static string PlotlyJsFile => $"plotly-{PlotlyJsVersion}.min.js";

    /// <summary>The file name of the shared mermaid.js that pages with a diagram load.</summary>
    public const string MermaidJsFile = "mermaid-11.12.0.min.js";

    /// <summary>Writes the files the pages load (the shared plotly.js and mermaid.js) into the book's folder, atomically.</summary>
    public static void WriteAssets(string folder)
    {
        AtomicFile.WriteText(Path.Combine(folder, PlotlyJsFile), PlotlyJs);
        AtomicFile.WriteText(Path.Combine(folder, MermaidJsFile), MermaidJs.Value);
    }

    /// <summary>
    /// Defines <c>require</c>/<c>requirejs</c> stand-ins before any chart runs: Plotly.NET's notebook output asks
    /// require.js for a CDN copy of plotly; the stand-ins hand it the embedded <c>window.Plotly</c> instead.
    /// </summary>
    public const string RequireShim =
        "window.requirejs = window.require = function (deps, callback) { if (callback) callback(window.Plotly); };\n" +
        "window.requirejs.config = function () { return window.requirejs; };\n" +
        "window.define = window.define || undefined;";

    /// <summary>Renders one executed notebook as a complete HTML page.</summary>
    /// <param name="document">The executed notebook.</param>
    /// <param name="result">Its run result (status and per-cell time shown in the page), or null for a notebook shown as is.</param>
    /// <param name="title">The page title, usually the notebook's file name.</param>
    public static string RenderPage(InteractiveDocument document, NotebookResult? result, string title)
    {
        ArgumentNullException.ThrowIfNull(document);
        var body = new StringBuilder();
        body.Append("<p class=\"nav\"><a href=\"index.html\">&larr; all notebooks</a></p>\n");
        if (result is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"status {(result.Succeeded ? "ok" : "failed")}\">")
                .Append(WebUtility.HtmlEncode(result.Summary)).Append("</p>\n");
        }
        for (int i = 0; i < document.Elements.Count; i++)
        {
            var cell = document.Elements[i];
            var cellResult = result?.Cells.ElementAtOrDefault(i);
            if (cell.KernelName is "markdown" or "md")
            {
                body.Append("<div class=\"cell markdown\">").Append(Markdig.Markdown.ToHtml(cell.Contents ?? "", Markdown)).Append("</div>\n");
                continue;
            }
            string state = cellResult?.Status switch
            {
                CellStatus.Failed => "failed",
                CellStatus.NotRun => "notrun",
                _ => "ok",
            };
            body.Append(CultureInfo.InvariantCulture, $"<div class=\"cell code {state}\" id=\"cell-{i + 1}\">");
            body.Append(CultureInfo.InvariantCulture, $"<div class=\"gutter\">[{i + 1}]");
            if (cellResult is { Status: CellStatus.Succeeded or CellStatus.Failed })
                body.Append(CultureInfo.InvariantCulture, $"<br><span class=\"time\">{cellResult.Elapsed.TotalSeconds:F2} s</span>");
            if (cellResult?.Status == CellStatus.NotRun) body.Append("<br><span class=\"time\">not run</span>");
            body.Append("</div><div class=\"content\">");
            AppendCodeAndOutputs(body, cell, $"{title} cell {i + 1}");
            body.Append("</div></div>\n");
        }
        return Page(title, body.ToString(), embedPlotly: true);
    }

    /// <summary>
    /// A self-study reader should try an exercise before seeing its answer, so the book shows an exercise cell as the
    /// attendee copy has it (the placeholder, solution removed) and keeps the instructor's code and outputs in a closed
    /// <c>details</c> ("Show the solution"); a check cell's verdict, which names the answer when it says "Correct",
    /// is closed the same way. Everything else is shown as run.
    /// </summary>
    private static void AppendCodeAndOutputs(StringBuilder body, InteractiveDocumentElement cell, string where)
    {
        string source = cell.Contents ?? "";
        string outputs = string.Concat(cell.Outputs.Select(RenderOutput));
        if (source.Contains(StudentCopies.BeginMarker, StringComparison.Ordinal))
        {
            body.Append(Source(StudentCopies.Strip(source, where).Source));
            body.Append(Hidden("Show the solution", Source(source) + outputs));
        }
        else if (outputs.Contains(ExerciseVerdictClass, StringComparison.Ordinal))
        {
            body.Append(Source(source));
            body.Append(Hidden("Show the check's verdict (it names the answer)", outputs));
        }
        else
        {
            body.Append(Source(source)).Append(outputs);
        }
    }

    /// <summary>
    /// The class of the box an <c>ExerciseResult</c> renders as (lib/WorkshopKit/Exercises/ExerciseResult.cs; the runner
    /// does not reference the library, so the literal is repeated here).
    /// </summary>
    private const string ExerciseVerdictClass = "class=\"workshopkit-exercise\"";

    /// <summary>The class of a closed solution in the book; the browser tests open it.</summary>
    public const string SolutionClass = "solution";

    private static string Source(string code) => "<pre class=\"source\"><code>" + WebUtility.HtmlEncode(code) + "</code></pre>";

    private static string Hidden(string summary, string content) =>
        $"<details class=\"{SolutionClass}\"><summary>{WebUtility.HtmlEncode(summary)}</summary>{content}</details>";

    /// <summary>Renders the index page: one row per notebook with its status and time, linking to its page.</summary>
    public static string RenderIndex(IReadOnlyList<(NotebookResult Result, string PageFile)> notebooks, string title = "WorkshopKit notebooks")
    {
        ArgumentNullException.ThrowIfNull(notebooks);
        return RenderIndexRows([.. notebooks.Select(n => RunRow(n.Result, n.PageFile))], title);
    }

    /// <summary>
    /// Renders the index of the book in <paramref name="bookFolder"/> after a run that may have covered only some
    /// notebooks (<c>run 02 03</c>): this run's notebooks with their results, and every other <c>NN-*.html</c> page already
    /// in the folder with the status its page records (marked as from an earlier run), all in notebook (file-name) order.
    /// </summary>
    /// <param name="bookFolder">The book's folder, holding this run's pages and those of earlier runs.</param>
    /// <param name="thisRun">The notebooks this run executed, with the page file each was written to.</param>
    /// <param name="title">The index page's title.</param>
    public static string RenderIndex(string bookFolder, IReadOnlyList<(NotebookResult Result, string PageFile)> thisRun, string title = "WorkshopKit notebooks")
    {
        ArgumentException.ThrowIfNullOrEmpty(bookFolder);
        ArgumentNullException.ThrowIfNull(thisRun);
        var rows = thisRun.ToDictionary(n => n.PageFile, n => RunRow(n.Result, n.PageFile), StringComparer.Ordinal);
        if (Directory.Exists(bookFolder))
        {
            foreach (string path in Directory.GetFiles(bookFolder, "*.html"))
            {
                string page = Path.GetFileName(path);
                if (rows.ContainsKey(page) || !NumberedPage().IsMatch(page)) continue;
                rows[page] = EarlierRow(path);
            }
        }
        return RenderIndexRows([.. rows.Values.OrderBy(r => r.PageFile, StringComparer.Ordinal)], title);
    }

    private sealed record IndexRow(string Name, string PageFile, bool Succeeded, string Status, string Time, string Cells);

    private static IndexRow RunRow(NotebookResult result, string page) => new(
        result.Name, page, result.Succeeded,
        result.Succeeded ? "ok" : $"failed at cell {result.FirstFailure!.Number}",
        string.Create(CultureInfo.InvariantCulture, $"{result.Elapsed.TotalSeconds:F1} s"),
        string.Create(CultureInfo.InvariantCulture, $"{result.Cells.Count(c => c.Status is not CellStatus.Skipped)} code / {result.Cells.Count} total"));

    /// <summary>A page from an earlier run: its status line (<see cref="RenderPage"/> writes one) says ok or which cell failed.</summary>
    private static IndexRow EarlierRow(string pagePath)
    {
        string page = Path.GetFileName(pagePath);
        string name = Path.ChangeExtension(page, ".ipynb");
        string when = File.GetLastWriteTimeUtc(pagePath).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var status = StatusLine().Match(File.ReadAllText(pagePath));
        bool ok = status.Success && status.Groups[1].Value == "ok";
        string text = !status.Success ? "not recorded"
            : ok ? "ok"
            : FailedCell().Match(WebUtility.HtmlDecode(status.Groups[2].Value)) is { Success: true } cell ? $"failed at cell {cell.Groups[1].Value}" : "failed";
        return new IndexRow(name, page, ok, text + $" (earlier run, {when} UTC)", "", "");
    }

    private static string RenderIndexRows(IReadOnlyList<IndexRow> rows, string title)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{WebUtility.HtmlEncode(title)}</h1>\n");
        body.Append(CultureInfo.InvariantCulture, $"<p>Executed {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Charts use an embedded plotly.js {PlotlyJsVersion}; the pages work offline.</p>\n");
        body.Append("<table class=\"index\"><thead><tr><th>Notebook</th><th>Status</th><th>Time</th><th>Cells</th></tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<tr class=\"{(row.Succeeded ? "ok" : "failed")}\"><td><a href=\"{WebUtility.HtmlEncode(row.PageFile)}\">{WebUtility.HtmlEncode(row.Name)}</a></td>" +
                $"<td>{WebUtility.HtmlEncode(row.Status)}</td><td>{WebUtility.HtmlEncode(row.Time)}</td><td>{WebUtility.HtmlEncode(row.Cells)}</td></tr>\n");
        }
        body.Append("</tbody></table>\n");
        return Page(title, body.ToString(), embedPlotly: false);
    }

    [GeneratedRegex(@"^\d\d-.*\.html$")]
    private static partial Regex NumberedPage();

    [GeneratedRegex("<p class=\"status (ok|failed)\">(.*?)</p>")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@": cell (\d+) of \d+")]
    private static partial Regex FailedCell();

    /// <summary>
    /// Makes chart HTML work without network: drops <c>&lt;script src="https://..."&gt;</c> tags (the page already has
    /// plotly.js) and rewrites the CDN addresses that Plotly.NET's require.js loader names, which the shim never fetches.
    /// </summary>
    public static string NeutralizeCdn(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        string result = RemoteScriptTag().Replace(html, "<!-- remote script removed: plotly.js is embedded in this page -->");
        result = InlinePlotly().Replace(result, "<!-- plotly.js copy removed: the book loads one shared file -->");
        result = InlineMermaid().Replace(result, "<!-- mermaid.js copy removed: the book loads one shared file -->");
        return CdnAddress().Replace(result, "embedded-plotly");
    }

    private static string RenderOutput(InteractiveDocumentOutputElement output)
    {
        switch (output)
        {
            case TextElement text:
                return $"<pre class=\"output {text.Name}\">{WebUtility.HtmlEncode(text.Text)}</pre>";
            case ErrorElement error:
                return $"<pre class=\"output error\">{WebUtility.HtmlEncode(error.ErrorName + ": " + error.ErrorValue)}</pre>";
            case DisplayElement display:
                return RenderData(display.Data);
            case ReturnValueElement value:
                return RenderData(value.Data);
            default:
                return "";
        }
    }

    private static string RenderData(IDictionary<string, object> data)
    {
        if (data.TryGetValue("text/html", out var html)) return $"<div class=\"output html\">{NeutralizeCdn(AsText(html))}</div>";
        if (data.TryGetValue("image/svg+xml", out var svg)) return $"<div class=\"output image\">{AsText(svg)}</div>";
        foreach (var mime in new[] { "image/png", "image/jpeg", "image/gif" })
        {
            if (data.TryGetValue(mime, out var image))
                return $"<div class=\"output image\"><img alt=\"\" src=\"data:{mime};base64,{AsText(image).Trim()}\"></div>";
        }
        if (data.TryGetValue("text/markdown", out var markdown)) return $"<div class=\"output markdown\">{Markdig.Markdown.ToHtml(AsText(markdown), Markdown)}</div>";
        if (data.TryGetValue("text/plain", out var plain)) return $"<pre class=\"output\">{WebUtility.HtmlEncode(AsText(plain))}</pre>";
        return data.Count == 0 ? "" : $"<pre class=\"output\">{WebUtility.HtmlEncode(AsText(data.First().Value))}</pre>";
    }

    private static string AsText(object? value) => value switch
    {
        null => "",
        string s => s,
        IEnumerable<object> lines => string.Concat(lines.Select(l => l?.ToString())),
        _ => value.ToString() ?? "",
    };

    private static string Page(string title, string body, bool embedPlotly)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n");
        if (embedPlotly)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<!-- plotly.js {PlotlyJsVersion} (MIT license), from the Plotly.NET package, one file for the whole book so charts work offline -->\n");
            sb.Append(CultureInfo.InvariantCulture, $"<script src=\"{PlotlyJsFile}\"></script>\n");
            sb.Append("<script>").Append(RequireShim).Append("</script>\n");
        }
        bool diagrams = body.Contains("class=\"mermaid\"", StringComparison.Ordinal);
        if (diagrams)
        {
            sb.Append("<!-- mermaid.js 11.12.0 (MIT license), one file for the whole book so block diagrams are drawn offline -->\n");
            sb.Append(CultureInfo.InvariantCulture, $"<script src=\"{MermaidJsFile}\"></script>\n");
        }
        sb.Append("</head>\n<body>\n<main>\n").Append(body).Append("</main>\n");
        if (diagrams) sb.Append("<script>mermaid.initialize({ startOnLoad: true, securityLevel: 'strict' });</script>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>mermaid.js, embedded in this assembly, read once and only for pages that show a diagram.</summary>
    private static readonly Lazy<string> MermaidJs = new(() =>
    {
        using var stream = typeof(NotebookHtml).Assembly.GetManifestResourceStream("mermaid.min.js")
            ?? throw new InvalidOperationException("WorkshopKit.Runner has no embedded mermaid.min.js; the book cannot draw diagrams.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static (string, string) LoadPlotlyJs()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        string name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(".min.js", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} {assembly.GetName().Version} has no embedded plotly.min.js resource; the HTML book cannot embed plotly.js.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var version = Regex.Match(name, @"plotly-(\d+\.\d+\.\d+)");
        return (reader.ReadToEnd(), version.Success ? version.Groups[1].Value : "unknown");
    }

    [GeneratedRegex("""<script[^>]*\ssrc\s*=\s*["']https?://[^"']*["'][^>]*>\s*</script>""", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteScriptTag();

    /// <summary>
    /// The copy of plotly.js that WorkshopKit's notebook chart formatter puts in the first chart of a session
    /// (lib/WorkshopKit/Runtime/NotebookHost/PlotlyJs.cs writes it with this attribute); the book loads one shared file instead.
    /// </summary>
    [GeneratedRegex("""<script type="text/javascript" data-workshopkit-plotly="[^"]*">.*?</script>""", RegexOptions.Singleline)]
    private static partial Regex InlinePlotly();

    /// <summary>The copy of mermaid.js that the first diagram of a session carries (lib/WorkshopKit/Runtime/NotebookHost/MermaidJs.cs).</summary>
    [GeneratedRegex("""<script type="text/javascript" data-workshopkit-mermaid="[^"]*">.*?</script>""", RegexOptions.Singleline)]
    private static partial Regex InlineMermaid();

    [GeneratedRegex("""https?://(cdn\.plot\.ly|cdnjs\.cloudflare\.com|cdn\.jsdelivr\.net|unpkg\.com)/[^"'\s)]*""", RegexOptions.IgnoreCase)]
    private static partial Regex CdnAddress();

    private const string Css = """
        body { margin: 0; background: #f6f7f9; color: #1d2330; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; min-height: 100vh; box-shadow: 0 0 12px rgba(0,0,0,.06); }
        h1, h2, h3 { line-height: 1.25; } a { color: #1f5fbf; }
        .nav { margin: 0 0 8px; font-size: 13px; }
        .status { padding: 8px 12px; border-radius: 6px; font-size: 14px; }
        .status.ok { background: #e7f6ec; color: #1a6b34; } .status.failed { background: #fdeaea; color: #9b1c1c; }
        .cell { margin: 14px 0; } .cell.markdown { padding: 0 4px; }
        .cell.code { display: flex; gap: 10px; }
        .gutter { flex: 0 0 64px; text-align: right; color: #8a93a5; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; padding-top: 8px; }
        .content { flex: 1; min-width: 0; }
        pre { margin: 0; overflow-x: auto; font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; }
        pre.source { background: #f3f5f8; border: 1px solid #e1e5eb; border-left: 3px solid #5b8def; border-radius: 4px; padding: 8px 10px; }
        .failed pre.source { border-left-color: #d33; } .notrun pre.source { opacity: .55; }
        .output { margin-top: 6px; } pre.output { padding: 6px 10px; white-space: pre-wrap; }
        pre.output.stderr { background: #fff6e5; } pre.output.error { background: #fdeaea; color: #9b1c1c; }
        .output.html { overflow-x: auto; } .output img { max-width: 100%; }
        table { border-collapse: collapse; font-size: 14px; } th, td { border: 1px solid #dde2e8; padding: 4px 10px; text-align: left; }
        th { background: #f3f5f8; } tr.failed td { background: #fdeaea; }
        code { font-family: ui-monospace, Menlo, Consolas, monospace; }
        details.solution { margin-top: 6px; } details.solution > summary { cursor: pointer; color: #1f5fbf; font-size: 14px; }
        details.solution[open] > summary { margin-bottom: 6px; }
        """;
}
