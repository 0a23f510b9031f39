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

    /// <inheritdoc />
    public string ToHtml() =>
        $"<pre class=\"{CssClass}\">{WebUtility.HtmlEncode(Text)}</pre>";

    /// <inheritdoc />
    public override string ToString() => Text;
}
