using System.Globalization;
using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// Heatmaps side by side, each with its own size, drawn at the same scale per pixel so that a 14x14 map really looks
/// half as wide as a 28x28 one: the picture for pooling, upsampling and encoder-decoder lessons, where the point is how
/// the size changes as much as what the values are. Each panel's title carries its size (rows x columns).
/// </summary>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "1 · Pooling".</remarks>
public static class HeatmapStrip
{
    /// <summary>
    /// Builds the chart. Panel widths are proportional to the maps' widths (at least <paramref name="minimumCells"/>
    /// cells wide, so a 1x1 map still has room for its title); rows are drawn top to bottom as in an image.
    /// </summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="panels">The maps, left to right (1 to 8).</param>
    /// <param name="colorScale">A plotly.js colour scale; "Greys" is drawn reversed so that ink (high values) is dark.</param>
    /// <param name="sharedRange">True to give every panel the same colour range (min and max over all panels), so equal values look equal; false to stretch each panel.</param>
    /// <param name="minimumCells">The narrowest panel, in cells of the widest map's scale.</param>
    /// <param name="height">Chart height in pixels.</param>
    /// <exception cref="ArgumentException">No panels, more than 8, or an empty map.</exception>
    public static GenericChart Create(string title, IReadOnlyList<StripPanel> panels, string colorScale = "Greys", bool sharedRange = true,
        int minimumCells = 6, int height = 330)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count is < 1 or > 8)
            throw new ArgumentException($"A heatmap strip shows 1 to 8 panels, but got {panels.Count}. Split the maps over several strips.", nameof(panels));
        if (panels.Any(p => p.Values.Length == 0))
            throw new ArgumentException("Every panel needs at least one value; one map is empty (0 rows or columns).", nameof(panels));
        if (minimumCells < 1)
            throw new ArgumentException($"minimumCells must be at least 1, but got {minimumCells}.", nameof(minimumCells));

        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in panels.SelectMany(p => p.Values.Cast<float>()).Where(float.IsFinite))
        {
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }

        const double gap = 0.04;
        var widths = panels.Select(p => (double)Math.Max(p.Values.GetLength(1), minimumCells)).ToArray();
        double scale = (1 - gap * (panels.Count - 1)) / widths.Sum();
        int maxRows = panels.Max(p => p.Values.GetLength(0));

        var traces = new List<Trace>();
        var layout = new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = title },
            ["width"] = 860, ["height"] = height,
            ["margin"] = new Dictionary<string, object?> { ["l"] = 50, ["r"] = 20, ["t"] = 90, ["b"] = 50 },
        };
        var annotations = new List<object>();
        double left = 0;
        for (int i = 0; i < panels.Count; i++)
        {
            var p = panels[i];
            int rows = p.Values.GetLength(0), cols = p.Values.GetLength(1);
            string n = i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture);
            double right = left + widths[i] * scale;
            var trace = new Dictionary<string, object?>
            {
                ["z"] = PlotlyFigure.Rows(p.Values),
                ["xaxis"] = "x" + n, ["yaxis"] = "y" + n,
                ["name"] = p.Title,
                ["colorscale"] = colorScale,
                ["reversescale"] = colorScale == "Greys",
                ["showscale"] = false,
                ["hovertemplate"] = "row %{y}, column %{x}: %{z}<extra>" + p.Title + "</extra>",
            };
            if (sharedRange && lo <= hi)
            {
                trace["zmin"] = lo;
                trace["zmax"] = hi > lo ? hi : lo + 1;
            }
            traces.Add(PlotlyFigure.Trace("heatmap", trace));
            // Same cells per pixel in every panel: the y domain is the map's share of the tallest map, and the y axis
            // is anchored to the x axis with a 1:1 ratio, so square pixels stay square.
            layout["xaxis" + n] = new Dictionary<string, object?>
            {
                ["domain"] = new[] { left, right }, ["anchor"] = "y" + n, ["range"] = new[] { -0.5, Math.Max(cols, minimumCells) - 0.5 },
                ["showgrid"] = false, ["zeroline"] = false, ["constrain"] = "domain",
                ["title"] = new Dictionary<string, object?> { ["text"] = "column (pixel)" },
            };
            layout["yaxis" + n] = new Dictionary<string, object?>
            {
                ["domain"] = new[] { 0.0, 1.0 }, ["anchor"] = "x" + n, ["range"] = new[] { Math.Max(rows, maxRows) - 0.5, -0.5 },
                ["scaleanchor"] = "x" + n, ["scaleratio"] = 1, ["showgrid"] = false, ["zeroline"] = false, ["constrain"] = "domain",
                ["title"] = new Dictionary<string, object?> { ["text"] = i == 0 ? "row (pixel)" : "" },
            };
            annotations.Add(new Dictionary<string, object?>
            {
                ["text"] = $"{p.Title}<br>{rows}x{cols}", ["showarrow"] = false,
                ["xref"] = "paper", ["yref"] = "paper", ["x"] = (left + right) / 2, ["y"] = 1.0,
                ["xanchor"] = "center", ["yanchor"] = "bottom",
            });
            left = right + gap;
        }
        layout["annotations"] = annotations.ToArray();
        return PlotlyFigure.Chart(traces, layout);
    }

    /// <summary>Shorthand for <see cref="Create(string, IReadOnlyList{StripPanel}, string, bool, int, int)"/> with (title, 2-D tensor) pairs.</summary>
    public static GenericChart Create(string title, params (string Title, Tensor Map)[] panels) =>
        Create(title, panels.Select(p => new StripPanel(p.Title, p.Map)).ToList());
}
