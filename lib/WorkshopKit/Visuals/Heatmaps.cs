using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>A rectangle drawn on a heatmap, in cell coordinates (inclusive rows and columns), e.g. an analytic receptive field.</summary>
/// <param name="Top">First row.</param>
/// <param name="Bottom">Last row (inclusive).</param>
/// <param name="Left">First column.</param>
/// <param name="Right">Last column (inclusive).</param>
/// <param name="Color">Line colour (a CSS colour name).</param>
public sealed record HeatmapBox(long Top, long Bottom, long Left, long Right, string Color = "crimson");

/// <summary>
/// One panel of <see cref="Heatmaps.SideBySide"/>: a 2-D array shown as coloured cells, row 0 at the top like an image.
/// </summary>
/// <param name="Title">Panel title, shown above it.</param>
/// <param name="Values">The values (height, width).</param>
public sealed record HeatmapPanel(string Title, float[,] Values)
{
    /// <summary>A panel from a 2-D tensor (copied to the CPU).</summary>
    public HeatmapPanel(string title, Tensor values) : this(title, PlotlyFigure.ToArray(values)) { }

    /// <summary>A plotly.js colour scale name; "RdBu" with <see cref="Symmetric"/> suits signed values such as edge responses.</summary>
    public string ColorScale { get; init; } = "Viridis";

    /// <summary>Centre the colour scale on zero, so positive and negative values of the same size get equally strong colours.</summary>
    public bool Symmetric { get; init; }

    /// <summary>Write each value in its cell (only readable for small arrays).</summary>
    public bool ShowValues { get; init; }

    /// <summary>A grey image drawn underneath; the panel's own values are then drawn half transparent over it, and exact zeros are left empty so the image shows through.</summary>
    public float[,]? Background { get; init; }

    /// <summary>Rectangles drawn on top of the panel.</summary>
    public IReadOnlyList<HeatmapBox> Boxes { get; init; } = [];

    /// <summary>Axis title of the columns (units where there are any).</summary>
    public string XTitle { get; init; } = "column (pixel)";

    /// <summary>Axis title of the rows.</summary>
    public string YTitle { get; init; } = "row (pixel)";
}

/// <summary>
/// Heatmaps laid out side by side, each with its own axes and colour bar, for comparisons the lessons make again and
/// again: an image next to its filtered version, a result computed by hand next to conv2d's, W^T y next to conv_transpose2d.
/// </summary>
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
