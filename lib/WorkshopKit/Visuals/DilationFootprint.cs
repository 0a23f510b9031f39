using System.Globalization;
using Plotly.NET;
using static TorchSharp.torch;

namespace WorkshopKit.Visuals;

/// <summary>
/// Which input cells one window of a dilated kernel touches: a dilated k x k kernel spreads its k x k taps over
/// a d (k - 1) + 1 square with d - 1 skipped cells between neighbouring taps. Drawing it makes the
/// "effective kernel size" of the padding arithmetic visible.
/// </summary>
/// <remarks>First used in notebook 03 (Strides and padding), section "4. Bonus: dilation".</remarks>
public static class DilationFootprint
{
    /// <summary>
    /// The footprint of one window as a square of side d (k - 1) + 1: each touched cell holds the number of the
    /// kernel tap that reads it (1 to k*k, row by row), every skipped cell holds 0.
    /// </summary>
    /// <exception cref="ArgumentException">A kernel size or dilation below 1.</exception>
    public static float[,] Taps(int kernel, int dilation)
    {
        if (kernel < 1) throw new ArgumentException($"The kernel size must be at least 1, but kernel={kernel}.", nameof(kernel));
        if (dilation < 1) throw new ArgumentException($"The dilation must be at least 1, but dilation={dilation}. Use 1 for a contiguous kernel.", nameof(dilation));
        int span = dilation * (kernel - 1) + 1;
        using var scope = NewDisposeScope();
        var grid = zeros(span, span);
        var taps = arange(1, kernel * kernel + 1, dtype: ScalarType.Float32).reshape(kernel, kernel);
        var every = TensorIndex.Slice(0, null, dilation);
        grid[every, every] = taps;
        return PlotlyFigure.ToArray(grid);
    }

    /// <summary>
    /// Side-by-side heatmaps of the footprints for several dilations, drawn on the same grid size so the
    /// growth of the effective kernel is visible; numbers are the kernel taps, blank cells are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">No dilations, or a kernel size or dilation below 1.</exception>
    public static GenericChart ToChart(int kernel, IReadOnlyList<int> dilations, string title = "Which input cells one window of a dilated kernel reads")
    {
        ArgumentNullException.ThrowIfNull(dilations);
        if (dilations.Count == 0) throw new ArgumentException("Give at least one dilation, e.g. [1, 2, 3].", nameof(dilations));
        var footprints = dilations.Select(d => Taps(kernel, d)).ToList();
        int side = footprints.Max(f => f.GetLength(0));
        int n = dilations.Count;
        double gap = 0.06, width = (1.0 - gap * (n - 1)) / n;

        var traces = new List<Trace>();
        var layout = new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = title },
            ["width"] = Math.Max(420, 300 * n), ["height"] = 400,
        };
        var annotations = new List<object>();
        for (int i = 0; i < n; i++)
        {
            string suffix = i == 0 ? "" : (i + 1).ToString(CultureInfo.InvariantCulture);
            var f = footprints[i];
            int s = f.GetLength(0);
            // Show skipped cells (0) as empty, inside a grid as large as the largest footprint.
            var z = new float[side, side];
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                    z[r, c] = r < s && c < s && f[r, c] > 0 ? f[r, c] : float.NaN;
            traces.Add(PlotlyFigure.Trace("heatmap", new Dictionary<string, object?>
            {
                ["z"] = PlotlyFigure.Rows(z),
                ["xaxis"] = "x" + suffix, ["yaxis"] = "y" + suffix,
                ["colorscale"] = "Blues", ["zmin"] = 0, ["zmax"] = kernel * kernel, ["showscale"] = false,
                ["texttemplate"] = "%{z}", ["xgap"] = 2, ["ygap"] = 2,
                ["name"] = $"dilation {dilations[i]}",
                ["hovertemplate"] = "row %{y}, column %{x}: tap %{z}<extra>dilation " + dilations[i].ToString(CultureInfo.InvariantCulture) + "</extra>",
            }));
            double from = i * (width + gap);
            layout["xaxis" + suffix] = Axis(from, from + width, "y" + suffix, "input column (from window start)", side, false);
            var yAxis = Axis(0, 0.9, "x" + suffix, i == 0 ? "input row (from window start)" : "", side, true);
            yAxis["scaleanchor"] = "x" + suffix; // square cells
            layout["yaxis" + suffix] = yAxis;
            annotations.Add(new Dictionary<string, object?>
            {
                ["text"] = string.Create(CultureInfo.InvariantCulture, $"dilation {dilations[i]}: effective {s}x{s}"),
                ["xref"] = "paper", ["yref"] = "paper", ["x"] = from + width / 2, ["y"] = 0.97,
                ["showarrow"] = false, ["xanchor"] = "center",
            });
        }
        layout["annotations"] = annotations.ToArray();
        return PlotlyFigure.Chart(traces, layout);
    }

    private static Dictionary<string, object?> Axis(double from, double to, string anchor, string label, int cells, bool rows) => new()
    {
        ["domain"] = new[] { from, to }, ["anchor"] = anchor, ["title"] = new Dictionary<string, object?> { ["text"] = label },
        ["range"] = rows ? new[] { cells - 0.5, -0.5 } : new[] { -0.5, cells - 0.5 },
        ["constrain"] = "domain", ["dtick"] = 1, ["showgrid"] = false, ["zeroline"] = false,
    };
}
