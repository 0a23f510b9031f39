using System.Globalization;
using Plotly.NET;
using WorkshopKit.Visuals;

namespace WorkshopKit.Precision;

/// <summary>Pictures and tables for the half-precision lesson: fixed-point grids, running sums, saved training results.</summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.1 Fixed-point grids &lt;IL,FL&gt;".</remarks>
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
        // The exact sum first, as a wide light band underneath: the stochastic lines follow it and stay visible on top.
        var traces = new[]
        {
            PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["name"] = "exact sum",
                ["x"] = results[0].Steps.ToArray(),
                ["y"] = results[0].Exact.ToArray(),
                ["mode"] = "lines",
                ["line"] = new Dictionary<string, object?> { ["color"] = "rgba(0, 0, 0, 0.18)", ["width"] = 9 },
            }),
        }.Concat(results.Select((r, i) => PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["name"] = $"{r.Format.Name} {r.Mode}",
            ["x"] = r.Steps.ToArray(),
            ["y"] = r.Mean.ToArray(),
            ["mode"] = "lines",
            // Stochastic lines lie on the exact sum and on each other: long dashes, then dots, drawn wider first.
            ["line"] = r.Mode == Rounding.Stochastic
                ? new Dictionary<string, object?> { ["width"] = results.Take(i).Count(p => p.Mode == Rounding.Stochastic) == 0 ? 4 : 2, ["dash"] = results.Take(i).Count(p => p.Mode == Rounding.Stochastic) == 0 ? "dash" : "dot" }
                : new Dictionary<string, object?> { ["width"] = 2 },
        })));
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
