namespace WorkshopKit.Visuals;

/// <summary>Ready-made HTML shown as it is (e.g. the plotly.js script that a redrawn chart needs in an output of its own).</summary>
/// <param name="Html">The fragment.</param>
/// <remarks>Plumbing for <see cref="LiveTrainingChart"/>: not taught.</remarks>
internal sealed record HtmlFragment(string Html) : IHtmlDisplay
{
    /// <inheritdoc />
    public string ToHtml() => Html;
}
