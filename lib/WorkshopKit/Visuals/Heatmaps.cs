using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// Heatmaps laid out side by side, each with its own axes and colour bar, for comparisons the lessons make again and
/// again: an image next to its filtered version, a result computed by hand next to conv2d's, W^T y next to conv_transpose2d.
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "Shuffling the pixels".</remarks>
public static class Heatmaps
{
    /// <summary>Builds one chart with the panels left to right, square cells, row 0 at the top.</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="panels">One or more panels.</param>
    /// <param name="width">Width in pixels; by default 330 per panel (at least 420).</param>
    /// <param name="height">Height in pixels.</param>
    /// <exception cref="ArgumentException">No panels, or a background whose size differs from its panel's values.</exception>
    public static GenericChart SideBySide(string title, IReadOnlyList<HeatmapPanel> panels, int? width = null, int height = 380)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("SideBySide needs at least one panel; pass e.g. [new HeatmapPanel(\"input\", x)].", nameof(panels));
        int n = panels.Count;
        const double gap = 0.12; // room for a colour bar and the next panel's row labels
        double slot = (1.0 - gap * (n - 1)) / n;
        var traces = new List<Trace>();
        var shapes = new List<object>();
        var annotations = new List<object>();
        var layout = new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = title },
            ["width"] = width ?? Math.Max(420, 330 * n),
            ["height"] = height,
            ["margin"] = new Dictionary<string, object?> { ["t"] = 80 },
        };
        for (int p = 0; p < n; p++)
        {
            var panel = panels[p];
            int h = panel.Values.GetLength(0), w = panel.Values.GetLength(1);
            string suffix = p == 0 ? "" : (p + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            double from = p * (slot + gap), to = from + slot;
            if (panel.Background is { } bg)
            {
                if (bg.GetLength(0) != h || bg.GetLength(1) != w)
                    throw new ArgumentException($"Panel '{panel.Title}': the background is {bg.GetLength(0)}x{bg.GetLength(1)} but the values are {h}x{w}; they must have the same size.", nameof(panels));
                traces.Add(PlotlyFigure.Trace("heatmap", new Dictionary<string, object?>
                {
                    ["z"] = PlotlyFigure.Rows(bg), ["xaxis"] = "x" + suffix, ["yaxis"] = "y" + suffix,
                    ["colorscale"] = "Greys", ["reversescale"] = true, ["showscale"] = false, ["hoverinfo"] = "skip",
                }));
            }
            var values = panel.Values;
            if (panel.Background is not null)
            {
                values = (float[,])values.Clone();
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        if (values[i, j] == 0) values[i, j] = float.NaN;
            }
            var trace = new Dictionary<string, object?>
            {
                ["z"] = PlotlyFigure.Rows(values),
                ["xaxis"] = "x" + suffix,
                ["yaxis"] = "y" + suffix,
                ["name"] = panel.Title,
                ["colorscale"] = panel.ColorScale,
                ["opacity"] = panel.Background is null ? 1.0 : 0.6,
                ["colorbar"] = new Dictionary<string, object?> { ["x"] = to + 0.005, ["len"] = 0.8, ["thickness"] = 10 },
                ["hovertemplate"] = "row %{y}, column %{x}: %{z}<extra>" + panel.Title + "</extra>",
            };
            if (panel.Symmetric)
            {
                double max = panel.Values.Cast<float>().Where(float.IsFinite).Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
                trace["zmid"] = 0.0;
                trace["zmin"] = -Math.Max(max, 1e-12);
                trace["zmax"] = Math.Max(max, 1e-12);
            }
            if (panel.ShowValues) trace["texttemplate"] = "%{z}";
            traces.Add(PlotlyFigure.Trace("heatmap", trace));
            layout["xaxis" + suffix] = new Dictionary<string, object?>
            {
                ["domain"] = new[] { from, to }, ["anchor"] = "y" + suffix, ["title"] = new Dictionary<string, object?> { ["text"] = panel.XTitle },
                ["range"] = new[] { -0.5, w - 0.5 }, ["constrain"] = "domain", ["showgrid"] = false, ["zeroline"] = false,
            };
            layout["yaxis" + suffix] = new Dictionary<string, object?>
            {
                ["domain"] = new[] { 0.0, 1.0 }, ["anchor"] = "x" + suffix, ["title"] = new Dictionary<string, object?> { ["text"] = panel.YTitle },
                ["range"] = new[] { h - 0.5, -0.5 }, ["scaleanchor"] = "x" + suffix, ["constrain"] = "domain", ["showgrid"] = false, ["zeroline"] = false,
            };
            annotations.Add(new Dictionary<string, object?>
            {
                ["text"] = "<b>" + System.Net.WebUtility.HtmlEncode(panel.Title) + "</b>", ["showarrow"] = false,
                ["xref"] = "paper", ["yref"] = "paper", ["x"] = (from + to) / 2, ["y"] = 1.0, ["yanchor"] = "bottom", ["xanchor"] = "center",
            });
            foreach (var box in panel.Boxes)
            {
                shapes.Add(new Dictionary<string, object?>
                {
                    ["type"] = "rect", ["xref"] = "x" + suffix, ["yref"] = "y" + suffix,
                    ["x0"] = box.Left - 0.5, ["x1"] = box.Right + 0.5, ["y0"] = box.Top - 0.5, ["y1"] = box.Bottom + 0.5,
                    ["line"] = new Dictionary<string, object?> { ["color"] = box.Color, ["width"] = 2 },
                });
            }
        }
        layout["shapes"] = shapes.ToArray();
        layout["annotations"] = annotations.ToArray();
        return PlotlyFigure.Chart(traces, layout);
    }
}
