using System.Net;
using System.Text.Encodings.Web;
using WorkshopKit.Runtime.NotebookHost;

namespace WorkshopKit.Visuals;

/// <summary>
/// A Mermaid flowchart generated from a block's structure, drawn as a picture wherever a notebook shows HTML: Jupyter,
/// VS Code, dotnet-repl's saved notebooks and the HTML book. Like a chart (<see cref="NotebookChart"/>), the first
/// diagram of a kernel session carries the bundled mermaid.js, so it draws offline; the Mermaid source never shows
/// unless scripts cannot run (an untrusted notebook), and then a line says what to do. <c>ToString()</c> (the twins,
/// consoles) gives the source.
/// </summary>
/// <param name="Text">Mermaid source, e.g. <c>flowchart TD ...</c>.</param>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "3 · A small encoder-decoder".</remarks>
public sealed record MermaidDiagram(string Text) : IHtmlDisplay
{
    /// <summary>The CSS class the book looks for to draw diagrams.</summary>
    public const string CssClass = "mermaid";

    /// <summary>
    /// The same flowchart drawn left to right, with room under group titles: in a top-down drawing the arrows into
    /// parallel branches run straight through the branches' titles; drawn left to right they enter from the side.
    /// </summary>
    /// <param name="text">Mermaid source starting with <c>flowchart TD</c>, as <c>Block.ToMermaid</c> writes it.</param>
    public static MermaidDiagram LeftToRight(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string TopDown = "flowchart TD";
        if (!text.StartsWith(TopDown, StringComparison.Ordinal))
            throw new ArgumentException($"Expected Mermaid source starting with '{TopDown}' (as Block.ToMermaid writes it), got '{text.Split('\n')[0]}'.", nameof(text));
        return new MermaidDiagram("---\nconfig:\n  flowchart:\n    wrappingWidth: 300\n    subGraphTitleMargin:\n      top: 4\n      bottom: 12\n---\n" +
            "flowchart LR" + text[TopDown.Length..]);
    }

    /// <summary>The line a diagram's output shows until its script has drawn it (an untrusted notebook runs no scripts).</summary>
    public const string NotDrawnNote = "This diagram is drawn by a script that has not run. In Jupyter: File > Trust Notebook (or run the cell again).";

    /// <inheritdoc />
    /// <remarks>
    /// A box with a unique id (<see cref="OutputIds"/>) holding a note and an empty <c>pre.mermaid</c> (the element the
    /// book's mermaid.js looks for), and a script that waits until mermaid.js is loaded and the output is attached to the
    /// page (classic Jupyter runs an output's scripts before it attaches the output), then draws the source as SVG into the
    /// <c>pre</c> (under an svg id made from the box's, so two diagrams never share one) and removes the note. The source lives only in the script, so a page that runs
    /// no scripts (an untrusted notebook) shows the note, not the Mermaid text.
    /// </remarks>
    public string ToHtml()
    {
        string id = OutputIds.Next("diagram", Text);
        return $"<div class=\"workshopkit-diagram\" id=\"{id}\">" + NotebookChart.NoteElement(NotDrawnNote) + $"<pre class=\"{CssClass}\"></pre></div>" +
            MermaidJs.Take() +
            "<script type=\"text/javascript\">(function (id, source, tries) { (function attempt() {\n" +
            "  var box = document.getElementById(id);\n" +
            "  if (!(window.mermaid && box && document.body.contains(box))) {\n" +
            "    if (tries-- > 0) { setTimeout(attempt, 50); return; }\n" +
            "    console.error('WorkshopKit: mermaid.js is not on this page; run the notebook from its first cell (the first diagram of a session embeds mermaid.js).');\n" +
            "    return; }\n" +
            "  var pre = box.querySelector('pre.mermaid'), note = box.querySelector('.workshopkit-not-drawn');\n" +
            "  if (pre.getAttribute('data-processed')) { if (note) note.remove(); return; }\n" +
            "  if (!window.workshopkitMermaidReady) { window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }); window.workshopkitMermaidReady = true; }\n" +
            "  pre.setAttribute('data-processed', 'true');\n" +
            "  window.mermaid.render(id + '-svg', source).then(function (r) { pre.innerHTML = r.svg; if (r.bindFunctions) r.bindFunctions(pre); if (note) note.remove(); },\n" +
            "    function (e) { console.error('WorkshopKit: the diagram could not be drawn: ' + e); });\n" +
            $"}})(); }})('{id}', \"{JavaScriptEncoder.Default.Encode(Text)}\", 200);</script>";
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
