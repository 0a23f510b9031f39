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
        return grid.ToArray2d();
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
        var panels = new List<HeatmapPanel>();
        for (int i = 0; i < dilations.Count; i++)
        {
            var f = footprints[i];
            int s = f.GetLength(0);
            // Show skipped cells (0) as empty, inside a grid as large as the largest footprint.
            var z = new float[side, side];
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                    z[r, c] = r < s && c < s && f[r, c] > 0 ? f[r, c] : float.NaN;
            panels.Add(new HeatmapPanel(string.Create(CultureInfo.InvariantCulture, $"dilation {dilations[i]}: effective {s}x{s}"), z)
            {
                ColorScale = "Blues", ColorRange = (0, kernel * kernel), ShowValues = true, ValueName = "tap",
                XTitle = "input column (from window start)", YTitle = i == 0 ? "input row (from window start)" : "",
            });
        }
        return new HeatmapGrid(title, panels) { ColorBars = false, CellGap = 2, TickEveryCell = true, PanelPixels = 260 }.ToChart();
    }
}
