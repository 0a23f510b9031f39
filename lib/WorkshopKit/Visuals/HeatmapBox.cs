namespace WorkshopKit.Visuals;

/// <summary>A rectangle drawn on a heatmap, in cell coordinates (inclusive rows and columns), e.g. an analytic receptive field.</summary>
/// <param name="Top">First row.</param>
/// <param name="Bottom">Last row (inclusive).</param>
/// <param name="Left">First column.</param>
/// <param name="Right">Last column (inclusive).</param>
/// <param name="Color">Line colour (a CSS colour name).</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "8. Receptive fields".</remarks>
public sealed record HeatmapBox(long Top, long Bottom, long Left, long Right, string Color = "crimson")
{
    /// <summary>Line width in pixels.</summary>
    public int LineWidth { get; init; } = 2;

    /// <summary>A plotly.js dash style ("solid", "dot", "dash", ...).</summary>
    public string Dash { get; init; } = "solid";

    /// <summary>A CSS fill colour drawn over the cells (use a translucent one, e.g. "rgba(255, 170, 40, 0.45)", so values stay readable); null for an outline only.</summary>
    public string? Fill { get; init; }
}
