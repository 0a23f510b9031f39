using Microsoft.FSharp.Collections;
using Plotly.NET;

namespace WorkshopKit.Visuals;

/// <summary>
/// Builds Plotly.NET charts from plain trace and layout properties (plotly.js names), for the few pictures
/// whose structure the typed API makes awkward from C#: side-by-side heatmaps with sliders that restyle them.
/// The result is an ordinary <see cref="GenericChart"/>, so notebooks display it like any other chart.
/// </summary>
/// <remarks>First used in notebook 01 (Convolutional layers), section "2. A filter, by hand and with `conv2d`".</remarks>
public static class PlotlyFigure
{
    /// <summary>Creates a trace of a plotly.js type (e.g. "heatmap") with the given properties.</summary>
    public static Trace Trace(string type, IReadOnlyDictionary<string, object?> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var trace = new Trace2D(type);
        foreach (var (key, value) in properties) trace.SetProperty(key, value);
        return trace;
    }

    /// <summary>Combines traces and layout properties into a chart.</summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, IReadOnlyDictionary<string, object?> layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var plotlyLayout = new Layout();
        foreach (var (key, value) in layout) plotlyLayout.SetProperty(key, value);
        return GenericChart.NewMultiChart(ListModule.OfSeq(traces), plotlyLayout, new Config(), new DisplayOptions());
    }

    /// <summary>
    /// Sets a chart's title. Plotly.NET.CSharp has no title method and Plotly.NET's own takes F# options, which are
    /// awkward from C#; notebooks call <c>chart.WithTitle("...")</c> instead.
    /// </summary>
    public static GenericChart WithTitle(this GenericChart chart, string title)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("title", new Dictionary<string, object?> { ["text"] = title });
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>Rows of a 2-D array as jagged arrays, the shape plotly.js expects for <c>z</c>; NaN becomes null (an empty cell).</summary>
    public static double?[][] Rows(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int h = values.GetLength(0), w = values.GetLength(1);
        var rows = new double?[h][];
        for (int i = 0; i < h; i++)
        {
            rows[i] = new double?[w];
            for (int j = 0; j < w; j++) rows[i][j] = float.IsNaN(values[i, j]) ? null : Math.Round(values[i, j], 4);
        }
        return rows;
    }
}
