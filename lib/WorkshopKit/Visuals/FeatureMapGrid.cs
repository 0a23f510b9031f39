using System.Globalization;
using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// Many small heatmaps in one chart, row by row: the feature maps a layer or a block produces for one image. Each map
/// keeps its own colour range (bright = strongest response of that map), because maps of different filters live on
/// different scales and one shared range would leave most of them flat.
/// </summary>
/// <remarks>First used in notebook 05 (Collaborative filters: several filter sizes side by side), section "What each branch does to a digit".</remarks>
public static class FeatureMapGrid
{
    /// <summary>Draws the maps in a grid of <paramref name="columns"/> columns; each map is titled below it and drawn with row 0 at the top, like an image.</summary>
    /// <param name="maps">Titles and 2-D tensors (height, width); sizes may differ between maps.</param>
    /// <param name="columns">Maps per row.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="cellPixels">Side of one map in screen pixels.</param>
    /// <exception cref="ArgumentException">No maps, fewer than one column, or a map that is not 2-D.</exception>
    public static GenericChart Create(IReadOnlyList<(string Title, Tensor Map)> maps, int columns, string title, int cellPixels = 170)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count == 0) throw new ArgumentException("FeatureMapGrid needs at least one map; pass (title, tensor) pairs.", nameof(maps));
        if (columns < 1) throw new ArgumentException($"columns must be at least 1 (got {columns}).", nameof(columns));
        for (int i = 0; i < maps.Count; i++)
            if (maps[i].Map.dim() != 2)
                throw new ArgumentException($"Map {i} ('{maps[i].Title}') has shape [{string.Join(", ", maps[i].Map.shape)}], but each map must be 2-D (height, width); select one image and channel, e.g. output[0, c].", nameof(maps));
        int cols = Math.Min(columns, maps.Count);
        int rows = (maps.Count + cols - 1) / cols;
        var traces = new List<Trace>();
        var layout = new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = title },
            ["grid"] = new Dictionary<string, object?> { ["rows"] = rows, ["columns"] = cols, ["pattern"] = "independent", ["ygap"] = 0.35, ["xgap"] = 0.12 },
            ["width"] = Math.Max(420, cols * cellPixels + 80),
            ["height"] = rows * (cellPixels + 40) + 90,
            ["showlegend"] = false,
            ["margin"] = new Dictionary<string, object?> { ["l"] = 30, ["r"] = 20, ["t"] = 60, ["b"] = 40 },
        };
        for (int i = 0; i < maps.Count; i++)
        {
            string suffix = i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture);
            traces.Add(PlotlyFigure.Trace("heatmap", new Dictionary<string, object?>
            {
                ["z"] = PlotlyFigure.Rows(PlotlyFigure.ToArray(maps[i].Map)),
                ["colorscale"] = "Viridis",
                ["showscale"] = false,
                ["xaxis"] = "x" + suffix,
                ["yaxis"] = "y" + suffix,
                ["name"] = maps[i].Title,
                ["hovertemplate"] = "row %{y}, column %{x}: %{z}<extra>" + maps[i].Title + "</extra>",
            }));
            layout["xaxis" + suffix] = new Dictionary<string, object?>
            {
                ["title"] = new Dictionary<string, object?> { ["text"] = maps[i].Title, ["font"] = new Dictionary<string, object?> { ["size"] = 11 } },
                ["showticklabels"] = false, ["ticks"] = "", ["showgrid"] = false, ["zeroline"] = false,
            };
            layout["yaxis" + suffix] = new Dictionary<string, object?>
            {
                ["autorange"] = "reversed", ["scaleanchor"] = "x" + suffix,
                ["showticklabels"] = false, ["ticks"] = "", ["showgrid"] = false, ["zeroline"] = false,
            };
        }
        return PlotlyFigure.Chart(traces, layout);
    }
}
