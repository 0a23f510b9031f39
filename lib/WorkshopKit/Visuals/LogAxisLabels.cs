using Plotly.NET;

namespace WorkshopKit.Visuals;

/// <summary>
/// Full numbers on log axes. By default plotly.js labels the ticks between two powers of ten with their first digit
/// only ("5 2 0.1 5"), which reads like a wrong scale; a tick format makes every label the number itself (0.5, 2, 5).
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "1.1 Timing a convolution several ways".</remarks>
public static class LogAxisLabels
{
    /// <summary>The d3 format used for every tick label: the shortest exact notation (0.02, 5, 200).</summary>
    public const string TickFormat = "~g";

    /// <summary>Sets the tick format of the named axes (plotly.js names: "yaxis", "xaxis", "yaxis2", ...) of a chart built from layout properties, keeping their other settings.</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="axes">Axis names; by default the y axis.</param>
    public static GenericChart WithFullLogLabels(this GenericChart chart, params string[] axes)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(axes);
        var layout = GenericChart.getLayout(chart);
        foreach (string name in axes.Length == 0 ? ["yaxis"] : axes)
        {
            // An axis styled with Plotly.NET (WithYAxisStyle: type log, title) is a DynamicObj: set the format on it, so
            // its other settings stay; a layout-properties axis is a dictionary, copied with the format added.
            if (layout.TryGetPropertyValue(name) is { } styled && styled.Value is DynamicObj.DynamicObj axisObject)
            {
                axisObject.SetProperty("tickformat", TickFormat);
                continue;
            }
            var axis = layout.TryGetPropertyValue(name) is { } existing && existing.Value is IReadOnlyDictionary<string, object?> properties
                ? new Dictionary<string, object?>(properties)
                : [];
            axis["tickformat"] = TickFormat;
            layout.SetProperty(name, axis);
        }
        return GenericChart.setLayout(layout, chart);
    }
}
