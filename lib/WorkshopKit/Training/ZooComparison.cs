using System.Globalization;
using System.Text.Json;
using Plotly.NET;
using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Visuals;

namespace WorkshopKit.Training;

/// <summary>
/// The capstone's table: every zoo model with parameters and MACs computed live and accuracy and time per epoch from
/// the saved runs, plus a chart of accuracy versus MACs with the Pareto front (the models worth their cost).
/// </summary>
/// <param name="Entries">One row per zoo model, in <see cref="ModelZoo.Names"/> order.</param>
/// <param name="Saved">The saved runs the accuracy columns come from.</param>
/// <remarks>First used in notebook 08 (Capstone: the model zoo), section "The zoo in one table".</remarks>
public sealed record ZooComparison(IReadOnlyList<ZooEntry> Entries, ZooResults Saved) : IHtmlDisplay
{
    /// <summary>Builds every zoo model once to count its parameters and MACs, and joins the saved runs.</summary>
    public static ZooComparison Build(ZooResults saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var entries = new List<ZooEntry>();
        foreach (var name in ModelZoo.Names)
        {
            using var model = ModelZoo.Create(name);
            var report = model.Describe(FeatureShape.Mnist);
            var mnist = saved.Find(DatasetName.Mnist, name);
            var fashion = saved.Find(DatasetName.FashionMnist, name);
            entries.Add(new ZooEntry(name, model.GetName(), model.ParameterCount, report.Macs, mnist?.TestAccuracy, fashion?.TestAccuracy,
                mnist?.SecondsPerEpoch, fashion?.SecondsPerEpoch));
        }
        return new ZooComparison(entries, saved);
    }

    /// <summary>
    /// The same comparison with one more row: an attendee's own network, its costs counted now and its MNIST accuracy
    /// as measured, so it appears in the table and on the chart next to the zoo.
    /// </summary>
    public ZooComparison WithVariant(string label, Block model, double mnistAccuracy, double? secondsPerEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(mnistAccuracy >= 0 && mnistAccuracy <= 1))
            throw new ArgumentOutOfRangeException(nameof(mnistAccuracy), mnistAccuracy, $"Accuracy is a fraction between 0 and 1 (got {mnistAccuracy}); pass result.Last.TestAccuracy, not a percentage.");
        var report = model.Describe(FeatureShape.Mnist);
        return this with { Entries = [.. Entries, new ZooEntry(label, model.GetName(), report.Parameters, report.Macs, mnistAccuracy, null, secondsPerEpoch, null)] };
    }

    /// <summary>
    /// The models no other model beats on both counts (the Pareto front): each is more accurate than every model that
    /// costs as little or less, cheapest first. A ratio such as accuracy per MAC would rank any cheap model first,
    /// however inaccurate; the front only says which trade-offs are worth considering, and leaves the choice to you.
    /// </summary>
    public IReadOnlyList<ZooEntry> ParetoFront(DatasetName dataset)
    {
        var front = new List<ZooEntry>();
        double best = double.NegativeInfinity;
        foreach (var group in Entries.Where(e => e.Accuracy(dataset) is not null).GroupBy(e => e.Macs).OrderBy(g => g.Key))
        {
            var top = group.MaxBy(e => e.Accuracy(dataset))!;
            if (top.Accuracy(dataset)!.Value > best)
            {
                front.Add(top);
                best = top.Accuracy(dataset)!.Value;
            }
        }
        return front;
    }

    /// <summary>The model with the highest saved accuracy on a dataset, or null.</summary>
    public ZooEntry? MostAccurate(DatasetName dataset) =>
        Entries.Where(e => e.Accuracy(dataset) is not null).MaxBy(e => e.Accuracy(dataset));

    /// <summary>The table: parameters, MACs, accuracy and seconds per epoch on both datasets ("not saved" where missing).</summary>
    public HtmlTable ToTable()
    {
        var rows = Entries.Select(e => (IReadOnlyList<string>)[e.Title, N(e.Parameters), N(e.Macs), Pct(e.MnistAccuracy), Pct(e.FashionAccuracy),
            Sec(e.MnistSecondsPerEpoch), Sec(e.FashionSecondsPerEpoch)]).ToList();
        string caption = Saved.Any
            ? $"Parameters and MACs (per 28x28 image, all taps) computed now; accuracy and seconds per epoch from {Saved.Source} ({Saved.Runs[0].TrainImages} training images; {Saved.Note ?? "timings depend on the machine"})."
            : $"Parameters and MACs computed now; no saved accuracies yet ({Saved.Source}). Produce them with: {Saved.Command}";
        return new HtmlTable(["model", "parameters", "MACs", "MNIST accuracy", "Fashion-MNIST accuracy", "s/epoch MNIST", "s/epoch Fashion"], rows, caption);
    }

    /// <summary>Accuracy (percent) versus MACs (millions) for each dataset with saved runs, with the Pareto front as a dotted staircase (filled markers on it, open markers off it); models are labelled. Without any saved accuracy it shows parameters versus MACs instead.</summary>
    public GenericChart ToChart(int width = 760, int height = 440)
    {
        var traces = new List<Trace>();
        double lowest = 100;
        foreach (var (dataset, label, colour) in new[] { (DatasetName.Mnist, "MNIST", "#4c78a8"), (DatasetName.FashionMnist, "Fashion-MNIST", "#f58518") })
        {
            var points = Entries.Where(e => e.Accuracy(dataset) is not null).ToList();
            if (points.Count == 0) continue;
            var front = ParetoFront(dataset);
            traces.Add(PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["x"] = front.Select(e => Math.Round(e.Macs / 1e6, 3)).ToArray(),
                ["y"] = front.Select(e => Math.Round(100 * e.Accuracy(dataset)!.Value, 2)).ToArray(),
                ["mode"] = "lines", ["name"] = $"{label}: Pareto front", ["hoverinfo"] = "skip",
                ["line"] = new Dictionary<string, object?> { ["color"] = colour, ["dash"] = "dot", ["shape"] = "hv" },
            }));
            traces.Add(PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["x"] = points.Select(e => Math.Round(e.Macs / 1e6, 3)).ToArray(),
                ["y"] = points.Select(e => Math.Round(100 * e.Accuracy(dataset)!.Value, 2)).ToArray(),
                ["text"] = points.Select(e => e.Model).ToArray(), ["mode"] = "markers+text", ["textposition"] = "top center", ["name"] = label,
                ["marker"] = new Dictionary<string, object?>
                {
                    ["size"] = 12, ["color"] = colour,
                    // Filled: on the front; open: another model is at least as accurate for fewer MACs.
                    ["symbol"] = points.Select(e => front.Contains(e) ? "circle" : "circle-open").ToArray(),
                },
                ["hovertemplate"] = "%{text}: %{y:.2f}% at %{x:.2f} M MACs<extra>" + label + "</extra>",
            }));
            lowest = Math.Min(lowest, points.Min(e => 100 * e.Accuracy(dataset)!.Value));
        }
        bool costsOnly = traces.Count == 0;
        if (costsOnly)
        {
            // Nothing measured yet: show what is known now, parameters against MACs, so the chart still compares the designs.
            traces.Add(PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["x"] = Entries.Select(e => Math.Round(e.Macs / 1e6, 3)).ToArray(),
                ["y"] = Entries.Select(e => Math.Round(e.Parameters / 1e3, 2)).ToArray(),
                ["text"] = Entries.Select(e => e.Model).ToArray(), ["mode"] = "markers+text", ["textposition"] = "top center", ["name"] = "zoo",
                ["marker"] = new Dictionary<string, object?> { ["size"] = 12, ["color"] = "#4c78a8" },
                ["hovertemplate"] = "%{text}: %{y:.1f} k parameters, %{x:.2f} M MACs<extra></extra>",
            }));
        }
        string title = costsOnly ? "Zoo models: parameters versus MACs (no saved accuracies yet)" : "Zoo models: test accuracy versus compute per image";
        return PlotlyFigure.Chart(traces, new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = title },
            ["xaxis"] = MacsAxis(),
            ["yaxis"] = costsOnly
                ? new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "parameters (thousands)" } }
                // From just below the least accurate point to 100 %, so the differences between models stay visible.
                : new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "test accuracy (%)" }, ["range"] = new[] { Math.Floor(lowest) - 1, 100.5 } },
            ["width"] = width, ["height"] = height,
        });
    }

    /// <summary>The log x axis of <see cref="ToChart"/>, with 1-2-5 ticks: plotly's own put "0.9" and "1" on top of each other across the zoo's one-decade range.</summary>
    private Dictionary<string, object?> MacsAxis()
    {
        var axis = new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = "MACs per image (millions)" }, ["type"] = "log", ["tickformat"] = LogAxisLabels.TickFormat,
        };
        var macs = Entries.Where(e => e.Macs > 0).Select(e => e.Macs / 1e6).ToList();
        if (macs.Count > 0) axis["tickvals"] = LogAxisLabels.OneTwoFiveTicks(macs.Min(), macs.Max());
        return axis;
    }

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double? v) => v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{100 * x:0.00}%") : "not saved";

    private static string Sec(double? v) => v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:0.0}") : "not saved";
}
