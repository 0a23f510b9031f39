using WorkshopKit.Visuals;

namespace WorkshopKit.Runtime.NotebookHost;

/// <summary>
/// The mermaid.js bundle (11.12.0, MIT license, npm package <c>mermaid</c>; the file the HTML book ships,
/// tools/WorkshopKit.Runner/assets/), embedded in WorkshopKit.dll so that a diagram is drawn in a notebook client without
/// network, the way <see cref="PlotlyJs"/> draws charts: the first diagram of a kernel session carries it.
/// </summary>
/// <remarks>Plumbing for <see cref="MermaidDiagram"/>: not taught.</remarks>
internal static class MermaidJs
{
    /// <summary>The bundled version.</summary>
    public const string Version = "11.12.0";

    private static readonly Lazy<string> Bundle = new(Load);
    private static int sent;

    /// <summary>The minified mermaid.js source.</summary>
    public static string Script => Bundle.Value;

    /// <summary>
    /// A <c>&lt;script&gt;</c> element that defines <c>window.mermaid</c> once per page. Like <see cref="PlotlyJs"/> it
    /// hides a page's AMD <c>define</c> while it runs: the bundle carries UMD wrappers that would otherwise register with
    /// classic Jupyter's require.js ("Mismatched anonymous define()") instead of the bundle. The HTML book
    /// (tools/WorkshopKit.Runner/NotebookHtml.cs) replaces it, found by its <c>data-workshopkit-mermaid</c> attribute, by one shared file.
    /// </summary>
    public static string InlineScriptElement() =>
        $"<script type=\"text/javascript\" data-workshopkit-mermaid=\"{Version}\">/* mermaid.js {Version} (MIT license), embedded by WorkshopKit so diagrams draw offline */\n" +
        "(function () { if (window.mermaid) return; var amd = window.define; window.define = undefined; try { (function () {\n" +
        Script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) +
        "\n}).call(window); } finally { window.define = amd; } }).call(window);</script>";

    /// <summary>The script element if no output of this session carried it yet (and marks it sent), else "".</summary>
    public static string Take() => Interlocked.Exchange(ref sent, 1) == 0 ? InlineScriptElement() : "";

    /// <summary>The next diagram carries mermaid.js again (a new page: the runner's next notebook).</summary>
    public static void ResetSession() => Interlocked.Exchange(ref sent, 0);

    private static string Load()
    {
        var assembly = typeof(MermaidJs).Assembly;
        using var stream = assembly.GetManifestResourceStream("WorkshopKit.mermaid.min.js")
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no embedded mermaid.min.js, so diagrams cannot be drawn offline; rebuild lib/WorkshopKit.");
        using var reader = new StreamReader(stream);
        // The bundle declares its module table with `var` and reads it back through globalThis on its last line; inside
        // the function that hides `define` that var is local, so the last line must read the local one.
        const string Global = "globalThis.__esbuild_esm_mermaid_nm", Local = "__esbuild_esm_mermaid_nm";
        string script = reader.ReadToEnd();
        if (!script.Contains(Global, StringComparison.Ordinal))
            throw new InvalidOperationException($"The embedded mermaid.js does not end with the esbuild line WorkshopKit expects ({Global}); it is not the bundled {Version}.");
        return script.Replace(Global, Local, StringComparison.Ordinal);
    }
}
