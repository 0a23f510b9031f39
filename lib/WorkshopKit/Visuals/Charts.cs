using Plotly.NET;

namespace WorkshopKit.Visuals;

/// <summary>
/// Bar and line charts with a title, axis titles and the kit's default size in one call, so a notebook cell shows a chart
/// in a line or two instead of nested plotly.js dictionaries or Plotly.NET's generic, F#-flavoured style methods.
/// The result is an ordinary <see cref="GenericChart"/>, displayed (offline) like every other chart of the kit.
/// </summary>
/// <remarks>First used in notebook 05 (Collaborative filters) and notebook 06 (Residual blocks).</remarks>
public static class Charts
{
    /// <summary>The width of a chart, in pixels.</summary>
    public const int Width = 720;

    /// <summary>The height of a chart, in pixels.</summary>
    public const int Height = 420;

    /// <summary>One bar per name, with its value as the height.</summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The title of the x axis (what the bars are).</param>
    /// <param name="yTitle">The title of the y axis, with its unit.</param>
    /// <param name="names">The label of each bar, left to right.</param>
    /// <param name="values">The height of each bar, one per name.</param>
    /// <param name="colors">A CSS colour per bar (e.g. "#4c78a8"), or null for plotly.js's default colour.</param>
    /// <exception cref="ArgumentException">The names, values and colours differ in number.</exception>
    public static GenericChart Bar(
        string title, string xTitle, string yTitle,
        IReadOnlyList<string> names, IReadOnlyList<double> values, IReadOnlyList<string>? colors = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != names.Count)
            throw new ArgumentException($"Give one value per bar: {names.Count} names but {values.Count} values.", nameof(values));
        if (colors is not null && colors.Count != names.Count)
            throw new ArgumentException($"Give one colour per bar: {names.Count} names but {colors.Count} colours.", nameof(colors));
        var properties = new Dictionary<string, object?> { ["x"] = names.ToArray(), ["y"] = values.ToArray() };
        if (colors is not null) properties["marker"] = new Dictionary<string, object?> { ["color"] = colors.ToArray() };
        return PlotlyFigure.Chart([PlotlyFigure.Trace("bar", properties)], Layout(title, xTitle, yTitle, logY: false));
    }

    /// <summary>One line with markers per series, all over the same x values, with a legend of the series' names.</summary>
    /// <typeparam name="TX">The type of the x values (int, double, string...).</typeparam>
    /// <param name="title">The chart's title.</param>
    /// <param name="xTitle">The title of the x axis, with its unit.</param>
    /// <param name="yTitle">The title of the y axis, with its unit (say "log scale" when <paramref name="logY"/> is set).</param>
    /// <param name="x">The x values, shared by every series.</param>
    /// <param name="series">The name (legend entry) and y values of each line, one y per x.</param>
    /// <param name="logY">
    /// A logarithmic y axis, ticked at 1, 2 and 5 times the powers of ten and labelled with the full numbers
    /// (<see cref="LogAxisLabels"/>).
    /// </param>
    /// <exception cref="ArgumentException">No series, or a series whose y values differ in number from the x values.</exception>
    public static GenericChart Lines<TX>(
        string title, string xTitle, string yTitle,
        IReadOnlyList<TX> x, IReadOnlyList<(string Name, IReadOnlyList<double> Y)> series, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("Give at least one series to plot.", nameof(series));
        var traces = new List<Trace>();
        foreach (var (name, y) in series)
        {
            ArgumentNullException.ThrowIfNull(y);
            if (y.Count != x.Count)
                throw new ArgumentException($"Series \"{name}\" has {y.Count} y values for {x.Count} x values; give one per x.", nameof(series));
            traces.Add(PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["x"] = x.ToArray(), ["y"] = y.ToArray(), ["mode"] = "lines+markers", ["name"] = name,
            }));
        }
        var positive = series.SelectMany(s => s.Y).Where(v => v > 0 && double.IsFinite(v)).ToList();
        double[]? ticks = logY && positive.Count > 0 ? LogAxisLabels.OneTwoFiveTicks(positive.Min(), positive.Max()) : null;
        return PlotlyFigure.Chart(traces, Layout(title, xTitle, yTitle, logY, ticks));
    }

    private static Dictionary<string, object?> Layout(string title, string xTitle, string yTitle, bool logY, double[]? ticks = null)
    {
        var yAxis = new Dictionary<string, object?> { ["title"] = Text(yTitle) };
        if (logY)
        {
            yAxis["type"] = "log";
            yAxis["tickformat"] = LogAxisLabels.TickFormat;
            // plotly.js's own ticks on a log axis spanning a decade or two run into each other once written out in full.
            if (ticks is not null) yAxis["tickvals"] = ticks;
        }
        return new Dictionary<string, object?>
        {
            ["title"] = Text(title),
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = Text(xTitle) },
            ["yaxis"] = yAxis,
            ["width"] = Width, ["height"] = Height,
        };
    }

    private static Dictionary<string, object?> Text(string text) => new() { ["text"] = text };
}
