namespace WorkshopKit.Visuals;

/// <summary>
/// A WorkshopKit result that knows how to show itself as an HTML fragment in a notebook
/// (tables of sizes, costs, receptive fields...). <c>ToString()</c> gives the same content as plain text.
/// </summary>
/// <remarks>Comes with <see cref="HtmlTable"/>, first used in notebook 01 (Convolutional layers), section "5. What does it cost? Counting FLOPs, then timing".</remarks>
internal interface IHtmlDisplay
{
    /// <summary>An HTML fragment (no &lt;html&gt; or &lt;body&gt;), safe to embed in a page.</summary>
    string ToHtml();
}
