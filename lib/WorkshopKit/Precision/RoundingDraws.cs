using System.Globalization;
using Plotly.NET;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Precision;

/// <summary>
/// Where one value lands when it is rounded many times: round to nearest always picks the same grid point, stochastic
/// rounding splits its draws between the two neighbours in proportion to closeness, so its average is the value itself.
/// </summary>
/// <param name="Format">The grid.</param>
/// <param name="Value">The value that was rounded.</param>
/// <param name="Draws">How many times it was rounded with each rule.</param>
/// <param name="GridPoints">The grid points that received draws (ascending).</param>
/// <param name="NearestCounts">Draws per grid point under round to nearest.</param>
/// <param name="StochasticCounts">Draws per grid point under stochastic rounding.</param>
/// <param name="StochasticMean">The mean of the stochastic draws.</param>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.2 Round to nearest versus stochastic rounding".</remarks>
public sealed record RoundingDraws(FixedPoint Format, double Value, int Draws, IReadOnlyList<double> GridPoints,
    IReadOnlyList<long> NearestCounts, IReadOnlyList<long> StochasticCounts, double StochasticMean) : IHtmlDisplay
{
    /// <summary>Rounds <paramref name="value"/> <paramref name="draws"/> times with each rule (seeded) and counts where the results land.</summary>
    /// <exception cref="ArgumentException">draws &lt; 1, or the value lies outside the format's range (it would saturate, which is not rounding).</exception>
    public static RoundingDraws Of(FixedPoint format, double value, int draws = 10_000, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (draws < 1) throw new ArgumentException($"draws must be at least 1, got {draws}.", nameof(draws));
        if (!(value >= format.Min && value <= format.Max))
            throw new ArgumentException($"{value} lies outside {format.Name}'s range [{format.Min}, {format.Max}]; it would saturate instead of rounding. Pick a value inside the range.", nameof(value));
        using var scope = NewDisposeScope();
        var x = full(draws, (float)value);
        var nearest = new Quantizer(format, Rounding.Nearest, seed).Quantize(x);
        var stochastic = new Quantizer(format, Rounding.Stochastic, seed).Quantize(x);
        float[] rn = nearest.data<float>().ToArray(), sr = stochastic.data<float>().ToArray();
        var points = rn.Concat(sr).Select(v => (double)v).Distinct().Order().ToList();
        return new RoundingDraws(format, value, draws, points,
            points.Select(p => rn.LongCount(v => v == p)).ToList(), points.Select(p => sr.LongCount(v => v == p)).ToList(),
            sr.Average(v => (double)v));
    }

    /// <summary>The single point round to nearest always returns.</summary>
    public double NearestValue => GridPoints[NearestCounts.ToList().FindIndex(c => c > 0)];

    /// <summary>Fraction of stochastic draws that went to the upper neighbour (the value's fractional position between grid points, on average).</summary>
    public double FractionRoundedUp => StochasticCounts.Count < 2 ? 0 : StochasticCounts[^1] / (double)Draws;

    /// <summary>Grouped bars: how many draws each grid point received under each rule, with the value and the stochastic mean marked.</summary>
    public GenericChart Chart()
    {
        string[] labels = GridPoints.Select(p => p.ToString("G6", CultureInfo.InvariantCulture)).ToArray();
        var bars = new[]
        {
            PlotlyFigure.Trace("bar", new Dictionary<string, object?> { ["name"] = "round to nearest", ["x"] = labels, ["y"] = NearestCounts.ToArray(), ["marker"] = new Dictionary<string, object?> { ["color"] = "#d62728" } }),
            PlotlyFigure.Trace("bar", new Dictionary<string, object?> { ["name"] = "stochastic rounding", ["x"] = labels, ["y"] = StochasticCounts.ToArray(), ["marker"] = new Dictionary<string, object?> { ["color"] = "#1f77b4" } }),
        };
        return PlotlyFigure.Chart(bars, new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = string.Create(CultureInfo.InvariantCulture,
                $"{Draws:N0} roundings of {Value:G6} to {Format.Name} (eps {Format.Epsilon:G4})<br><sub>nearest always gives {NearestValue:G6}; stochastic draws average {StochasticMean:G6}</sub>") },
            ["barmode"] = "group",
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "grid value the draw landed on" }, ["type"] = "category" },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "number of draws" } },
            ["width"] = 720,
            ["height"] = 400,
        });
    }

    private HtmlTable Table() => new(["grid value", "round to nearest", "stochastic"],
        GridPoints.Select((p, i) => (IReadOnlyList<string>)[p.ToString("G6", CultureInfo.InvariantCulture), NearestCounts[i].ToString(CultureInfo.InvariantCulture), StochasticCounts[i].ToString(CultureInfo.InvariantCulture)]).ToList(),
        string.Create(CultureInfo.InvariantCulture, $"{Draws:N0} roundings of {Value:G6} to {Format.Name}; stochastic mean {StochasticMean:G6}"));

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
