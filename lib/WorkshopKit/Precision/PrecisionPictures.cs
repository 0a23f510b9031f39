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

/// <summary>Pictures and tables for the half-precision lesson: fixed-point grids, running sums, saved training results.</summary>
public static class PrecisionPictures
{
    /// <summary>Largest word length whose grid <see cref="GridValues"/> lists (2^12 points is already more than a picture can show).</summary>
    public const int MaxListedWordLength = 12;

    /// <summary>Every value of a small fixed-point format, from Min to Max in steps of eps.</summary>
    /// <exception cref="ArgumentException">WL above <see cref="MaxListedWordLength"/>.</exception>
    public static double[] GridValues(FixedPoint format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.WordLength > MaxListedWordLength)
            throw new ArgumentException($"{format.Name} has 2^{format.WordLength} values; listing is limited to WL <= {MaxListedWordLength}. Use a smaller format for pictures (e.g. <3,2>).", nameof(format));
        int count = 1 << format.WordLength;
        return Enumerable.Range(0, count).Select(k => format.Min + k * format.Epsilon).ToArray();
    }

    /// <summary>A table of formats: word length, grid spacing, range and number of values, so formats can be compared at a glance.</summary>
    public static HtmlTable FormatTable(params FixedPoint[] formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        return new HtmlTable(["format <IL,FL>", "WL (bits)", "eps = 2^-FL", "smallest", "largest", "values"],
            formats.Select(f => (IReadOnlyList<string>)[f.Name, f.WordLength.ToString(CultureInfo.InvariantCulture),
                f.Epsilon.ToString("G6", CultureInfo.InvariantCulture), f.Min.ToString("G9", CultureInfo.InvariantCulture),
                f.Max.ToString("G9", CultureInfo.InvariantCulture), Math.ScaleB(1.0, f.WordLength).ToString("N0", CultureInfo.InvariantCulture)]).ToList(),
            "Signed fixed point: WL = IL + FL bits, grid spacing eps = 2^-FL, range [-2^(IL-1), 2^(IL-1) - eps]");
    }

    /// <summary>Each small format's values as dots on a number line (one line per format): same bits, spacing traded against range.</summary>
    public static GenericChart GridChart(params FixedPoint[] formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        var traces = formats.Select(f =>
        {
            double[] values = GridValues(f);
            return PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["name"] = $"{f.Name}: eps {f.Epsilon.ToString("G4", CultureInfo.InvariantCulture)}, range [{f.Min.ToString(CultureInfo.InvariantCulture)}, {f.Max.ToString(CultureInfo.InvariantCulture)}]",
                ["x"] = values,
                ["y"] = values.Select(_ => f.Name).ToArray(),
                ["mode"] = "markers",
                ["marker"] = new Dictionary<string, object?> { ["size"] = 7 },
            });
        });
        return PlotlyFigure.Chart(traces, new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = "Every value of small fixed-point formats (same word length, different FL)" },
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "value" }, ["zeroline"] = true },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "format <IL,FL>" }, ["type"] = "category" },
            ["legend"] = new Dictionary<string, object?> { ["orientation"] = "h", ["y"] = -0.25 },
            ["width"] = 720,
            ["height"] = 380,
        });
    }

    /// <summary>The accumulators' mean over time for each run, with the exact running sum as a dashed line.</summary>
    public static GenericChart StagnationChart(params StagnationResult[] results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Length == 0) throw new ArgumentException("Pass at least one StagnationResult (from StagnationDemo.Run).", nameof(results));
        var traces = results.Select(r => PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["name"] = $"{r.Format.Name} {r.Mode}",
            ["x"] = r.Steps.ToArray(),
            ["y"] = r.Mean.ToArray(),
            ["mode"] = "lines",
        })).Append(PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["name"] = "exact sum",
            ["x"] = results[0].Steps.ToArray(),
            ["y"] = results[0].Exact.ToArray(),
            ["mode"] = "lines",
            ["line"] = new Dictionary<string, object?> { ["dash"] = "dash", ["color"] = "black" },
        }));
        return PlotlyFigure.Chart(traces, new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = "Running sum of a small increment, rounded after every addition" },
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "additions" } },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "sum (mean over accumulators)" } },
            ["width"] = 720,
            ["height"] = 420,
        });
    }

    /// <summary>Final test error per fraction length FL, one row per FL, columns for each rounding rule and the float32 baseline.</summary>
    public static HtmlTable TestErrorTable(PrecisionResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var (baseline, byMode, fls) = Split(results);
        string[] modes = [.. byMode.Keys];
        string P(double? e) => e is null ? "-" : e.Value.ToString("P1", CultureInfo.InvariantCulture);
        return new HtmlTable(["FL", "<IL,FL>", .. modes.Select(m => $"test error, {m}"), "float32 baseline"],
            fls.Select(fl => (IReadOnlyList<string>)[fl.ToString(CultureInfo.InvariantCulture), $"<{results.Runs.First(r => r.FractionBits == fl).WordLength - fl},{fl}>",
                .. modes.Select(m => P(byMode[m].FirstOrDefault(r => r.FractionBits == fl)?.TestError)), P(baseline?.TestError)]).ToList(),
            $"Final test error on {results.Dataset} ({results.Settings.Epochs} epochs, WL = {results.Runs.FirstOrDefault(r => r.FractionBits is not null)?.WordLength})");
    }

    /// <summary>Final test error against FL, a line per rounding rule and the float32 baseline as a horizontal dashed line.</summary>
    public static GenericChart TestErrorChart(PrecisionResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var (baseline, byMode, fls) = Split(results);
        var traces = byMode.Select(kv => PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["name"] = kv.Key == "Nearest" ? "round to nearest" : kv.Key == "Stochastic" ? "stochastic rounding" : kv.Key,
            ["x"] = kv.Value.Select(r => r.FractionBits!.Value).ToArray(),
            ["y"] = kv.Value.Select(r => Math.Round(100 * r.TestError, 2)).ToArray(),
            ["mode"] = "lines+markers",
        })).ToList();
        if (baseline is not null)
            traces.Add(PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["name"] = "float32 baseline",
                ["x"] = new[] { fls.Min(), fls.Max() },
                ["y"] = new[] { Math.Round(100 * baseline.TestError, 2), Math.Round(100 * baseline.TestError, 2) },
                ["mode"] = "lines",
                ["line"] = new Dictionary<string, object?> { ["dash"] = "dash", ["color"] = "black" },
            }));
        return PlotlyFigure.Chart(traces, new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = $"Limited-precision training on {results.Dataset}: final test error per FL" },
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "fraction bits FL (WL = 16, so IL = 16 - FL)" }, ["dtick"] = 2 },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "test error (%)" }, ["rangemode"] = "tozero" },
            ["width"] = 720,
            ["height"] = 420,
        });
    }

    private static (PrecisionRun? Baseline, Dictionary<string, List<PrecisionRun>> ByMode, int[] FractionBits) Split(PrecisionResults results)
    {
        var baseline = results.Runs.FirstOrDefault(r => r.FractionBits is null);
        var byMode = results.Runs.Where(r => r.FractionBits is not null).GroupBy(r => r.Mode)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.FractionBits).ToList());
        int[] fls = [.. results.Runs.Where(r => r.FractionBits is not null).Select(r => r.FractionBits!.Value).Distinct().Order()];
        if (fls.Length == 0) throw new ArgumentException("The results hold no fixed-point runs (only a baseline); rerun the experiment with some FL values.", nameof(results));
        return (baseline, byMode, fls);
    }
}
