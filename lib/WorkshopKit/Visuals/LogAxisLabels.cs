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

    /// <summary>
    /// Tick values at 1, 2 and 5 times the powers of ten, from the largest such value at or below <paramref name="min"/> to
    /// the smallest at or above <paramref name="max"/> (0.1, 0.2, 0.5, 1, 2, 5 for data from 0.15 to 3.2). With every label
    /// written out, plotly.js's own ticks on a log axis that spans a decade or two (0.8, 0.9, 1) run into each other; the
    /// 1-2-5 steps are at least a factor of 2 apart, so their labels never touch.
    /// </summary>
    /// <param name="min">The smallest value on the axis, above 0.</param>
    /// <param name="max">The largest value on the axis, at least <paramref name="min"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">min is not a finite positive number, or max is below min or not finite.</exception>
    public static double[] OneTwoFiveTicks(double min, double max)
    {
        if (!(min > 0 && double.IsFinite(min)))
            throw new ArgumentOutOfRangeException(nameof(min), min, $"A log axis holds only positive values, but min = {min}. Pass the smallest positive value plotted.");
        if (!(max >= min && double.IsFinite(max)))
            throw new ArgumentOutOfRangeException(nameof(max), max, $"max must be finite and at least min ({min}), but max = {max}. Pass the largest value plotted.");
        var ticks = new List<double>();
        for (int decade = (int)Math.Floor(Math.Log10(min)) - 1; ; decade++)
        {
            foreach (int step in (ReadOnlySpan<int>)[1, 2, 5])
            {
                // Below 1, divide by an exact power of ten: the result is then the double nearest the decimal (0.2, 0.05).
                double value = decade >= 0 ? step * Math.Pow(10, decade) : step / Math.Pow(10, -decade);
                if (value <= min) ticks.Clear();   // keep only the last value at or below min
                ticks.Add(value);
                if (value >= max) return [.. ticks];
            }
        }
    }

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
