using System.Net;

namespace WorkshopKit.Visuals;

/// <summary>
/// A Mermaid flowchart generated from a block's structure. In the HTML book it is drawn as a diagram (the book
/// embeds mermaid.js, so it works offline); elsewhere it shows the Mermaid text, which VS Code's <c>#!mermaid</c>
/// cells and any Mermaid viewer can draw.
/// </summary>
/// <param name="Text">Mermaid source, e.g. <c>flowchart TD ...</c>.</param>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "3 · A small encoder-decoder".</remarks>
public sealed record MermaidDiagram(string Text) : IHtmlDisplay
{
    /// <summary>The CSS class the book looks for to draw diagrams.</summary>
    public const string CssClass = "mermaid";

    /// <inheritdoc />
    public string ToHtml() =>
        $"<pre class=\"{CssClass}\">{WebUtility.HtmlEncode(Text)}</pre>";

    /// <inheritdoc />
    public override string ToString() => Text;
}
