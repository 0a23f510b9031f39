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
    /// <summary>
    /// Builds every zoo model once to count its parameters and MACs, and joins the saved runs. The saved runs measured
    /// each model on the whole shipped test split, so the number of test images behind each accuracy (for its interval,
    /// <see cref="Margin95"/>) is that split's size, read from the data manifest.
    /// </summary>
    /// <param name="saved">The saved runs (<see cref="ZooResults.Load"/>).</param>
    /// <param name="dataDirectory">The data folder whose manifest gives the test split sizes; null to find it.</param>
    /// <exception cref="InvalidDataException">A saved accuracy is not a whole number of images out of the shipped test split: the runs were measured on another test set.</exception>
    public static ZooComparison Build(ZooResults saved, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var testImages = saved.Any ? TestSplitSizes(dataDirectory) : new Dictionary<DatasetName, int>();
        int? Images(ZooRun? run, DatasetName dataset)
        {
            if (run is null) return null;
            int n = testImages[dataset];
            double correct = run.TestAccuracy * n;
            if (Math.Abs(correct - Math.Round(correct)) > 1e-6)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The saved {dataset} accuracy of {run.Model} ({run.TestAccuracy}) is not a whole number of images out of the {n} test images of the shipped split, so it was measured on another test set and its interval cannot be computed. Fix: regenerate the runs with `{saved.Command}`."));
            return n;
        }
        var entries = new List<ZooEntry>();
        foreach (var name in ModelZoo.Names)
        {
            using var model = ModelZoo.Create(name);
            var report = model.Describe(FeatureShape.Mnist);
            var mnist = saved.Find(DatasetName.Mnist, name);
            var fashion = saved.Find(DatasetName.FashionMnist, name);
            entries.Add(new ZooEntry(name, model.GetName(), model.ParameterCount, report.Macs, mnist?.TestAccuracy, fashion?.TestAccuracy,
                mnist?.SecondsPerEpoch, fashion?.SecondsPerEpoch, Images(mnist, DatasetName.Mnist), Images(fashion, DatasetName.FashionMnist)));
        }
        return new ZooComparison(entries, saved);
    }

    private static Dictionary<DatasetName, int> TestSplitSizes(string? dataDirectory)
    {
        var manifest = DataManifest.Read(Path.GetFullPath(dataDirectory ?? Datasets.FindDataDirectory()));
        return new[] { DatasetName.Mnist, DatasetName.FashionMnist }.ToDictionary(d => d,
            d => manifest.Datasets.First(m => m.Id == DatasetIds.Id(d)).Test.Count);
    }

    /// <summary>
    /// Half the width of the 95 % interval of an accuracy measured on <paramref name="images"/> test images, by the
    /// normal approximation to the binomial: 1.96 * sqrt(p (1 - p) / n). It is only the sampling noise of the test set
    /// (which images happened to be in it); a second training run with another seed or another order of batches moves
    /// the accuracy as well, and this interval does not include that.
    /// </summary>
    /// <param name="accuracy">The measured accuracy p, a fraction between 0 and 1.</param>
    /// <param name="images">The number of test images n, at least 1.</param>
    public static double Margin95(double accuracy, int images)
    {
        if (!(accuracy >= 0 && accuracy <= 1))
            throw new ArgumentOutOfRangeException(nameof(accuracy), accuracy, $"Accuracy is a fraction between 0 and 1 (got {accuracy}), not a percentage.");
        if (images < 1)
            throw new ArgumentOutOfRangeException(nameof(images), images, $"The interval needs the number of test images, at least 1 (got {images}).");
        return 1.96 * Math.Sqrt(accuracy * (1 - accuracy) / images);
    }

    /// <summary>
    /// The same comparison with one more row: an attendee's own network, its costs counted now and its MNIST accuracy
    /// as measured, so it appears in the table and on the chart next to the zoo.
    /// </summary>
    /// <param name="label">The row's name.</param>
    /// <param name="model">The network, to count its costs.</param>
    /// <param name="mnistAccuracy">Its MNIST test accuracy (0 to 1).</param>
    /// <param name="testImages">How many test images that accuracy was measured on (for its interval).</param>
    /// <param name="secondsPerEpoch">Its seconds per epoch, if known.</param>
    public ZooComparison WithVariant(string label, Block model, double mnistAccuracy, int testImages, double? secondsPerEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(mnistAccuracy >= 0 && mnistAccuracy <= 1))
            throw new ArgumentOutOfRangeException(nameof(mnistAccuracy), mnistAccuracy, $"Accuracy is a fraction between 0 and 1 (got {mnistAccuracy}); pass result.Last.TestAccuracy, not a percentage.");
        if (testImages < 1)
            throw new ArgumentOutOfRangeException(nameof(testImages), testImages, $"Pass the number of test images the accuracy was measured on (at least 1; got {testImages}), e.g. mnistTest.Count.");
        var report = model.Describe(FeatureShape.Mnist);
        return this with { Entries = [.. Entries, new ZooEntry(label, model.GetName(), report.Parameters, report.Macs, mnistAccuracy, null, secondsPerEpoch, null, testImages)] };
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

    /// <summary>The model with the highest saved accuracy on a dataset, or null (see <see cref="TopGroup"/> for whether it is told apart).</summary>
    public ZooEntry? MostAccurate(DatasetName dataset) =>
        Entries.Where(e => e.Accuracy(dataset) is not null).MaxBy(e => e.Accuracy(dataset));

    /// <summary>
    /// The most accurate model and every model whose 95 % interval overlaps its interval, most accurate first: the models
    /// this test set cannot tell apart from the top one. Empty when no accuracy is saved.
    /// </summary>
    public IReadOnlyList<ZooEntry> TopGroup(DatasetName dataset)
    {
        if (MostAccurate(dataset) is not { } top) return [];
        double topLow = top.Accuracy(dataset)!.Value - (top.Margin95(dataset) ?? 0);
        return [.. Entries.Where(e => e.Accuracy(dataset) is not null)
            .Where(e => e == top || e.Accuracy(dataset)!.Value + (e.Margin95(dataset) ?? 0) >= topLow)
            .OrderByDescending(e => e.Accuracy(dataset))];
    }

    /// <summary>
    /// One sentence on which model is the most accurate, computed from the accuracies and their 95 % intervals: when
    /// intervals overlap the top one's, it says that this test set cannot tell those models apart instead of naming a winner.
    /// </summary>
    public string MostAccurateSentence(DatasetName dataset)
    {
        var group = TopGroup(dataset);
        string label = dataset == DatasetName.Mnist ? "MNIST" : "Fashion-MNIST";
        if (group.Count == 0) return $"{label}: no saved accuracies";
        string Shown(ZooEntry e) => $"{e.Title} ({WithMargin(e.Accuracy(dataset), e.Margin95(dataset))})";
        if (group.Count == 1)
            return $"{label}: the most accurate is {Shown(group[0])}; its 95 % interval overlaps no other model's";
        string names = string.Join(", ", group.Take(group.Count - 1).Select(Shown)) + " and " + Shown(group[^1]);
        return $"{label}: {names} have overlapping 95 % intervals: this test set cannot tell them apart, so none of them " +
            "is the most accurate";
    }

    /// <summary>The table: parameters, MACs, accuracy and seconds per epoch on both datasets ("not saved" where missing).</summary>
    public HtmlTable ToTable()
    {
        var rows = Entries.Select(e => (IReadOnlyList<string>)[e.Title, N(e.Parameters), N(e.Macs),
            WithMargin(e.MnistAccuracy, e.Margin95(DatasetName.Mnist)), WithMargin(e.FashionAccuracy, e.Margin95(DatasetName.FashionMnist)),
            Sec(e.MnistSecondsPerEpoch), Sec(e.FashionSecondsPerEpoch)]).ToList();
        string? Sizes(string dataset, Func<ZooEntry, int?> images) =>
            Entries.Select(images).OfType<int>().Distinct().Order().Select(n => N(n)).ToList() is { Count: > 0 } sizes
                ? $"{dataset} on {string.Join(" or ", sizes)} test images" : null;
        string images = string.Join("; ", new[] { Sizes("MNIST", e => e.MnistTestImages), Sizes("Fashion-MNIST", e => e.FashionTestImages) }.OfType<string>());
        string caption = Saved.Any
            ? $"Parameters and MACs (per 28x28 image, all taps) computed now; accuracy and seconds per epoch from {Saved.Source} ({Saved.Runs[0].TrainImages} training images; {Saved.Note ?? "timings depend on the machine"}). " +
              $"Accuracy ± half its 95 % interval, 1.96 * sqrt(p (1 - p) / n) with n test images ({images}): the sampling noise of the test set only, not the spread between training runs."
            : $"Parameters and MACs computed now; no saved accuracies yet ({Saved.Source}). Produce them with: {Saved.Command}";
        return new HtmlTable(["model", "parameters", "MACs", "MNIST accuracy (± 95 %)", "Fashion-MNIST accuracy (± 95 %)", "s/epoch MNIST", "s/epoch Fashion"], rows, caption);
    }

    /// <summary>Accuracy (percent, with error bars of the 95 % interval) versus MACs (millions) for each dataset with saved runs, with the Pareto front as a dotted staircase drawn on to the dearest model (filled markers on it, open markers off it); models are labelled. Without any saved accuracy it shows parameters versus MACs instead.</summary>
    public GenericChart ToChart(int width = 760, int height = 440)
    {
        var traces = new List<Trace>();
        double lowest = 100;
        foreach (var (dataset, label, colour) in new[] { (DatasetName.Mnist, "MNIST", "#4c78a8"), (DatasetName.FashionMnist, "Fashion-MNIST", "#f58518") })
        {
            var points = Entries.Where(e => e.Accuracy(dataset) is not null).ToList();
            if (points.Count == 0) continue;
            var front = ParetoFront(dataset);
            // The staircase goes on to the dearest model's MACs: everything below and right of it is beaten, and a front of
            // a single model is still a visible line (a legend entry with nothing drawn otherwise).
            var stairs = front.Select(e => (X: e.Macs / 1e6, Y: 100 * e.Accuracy(dataset)!.Value)).ToList();
            double dearest = points.Max(e => e.Macs) / 1e6;
            if (dearest > stairs[^1].X) stairs.Add((dearest, stairs[^1].Y));
            traces.Add(PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["x"] = stairs.Select(s => Math.Round(s.X, 3)).ToArray(),
                ["y"] = stairs.Select(s => Math.Round(s.Y, 2)).ToArray(),
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
                // The 95 % interval of each accuracy (test-set sampling noise only).
                ["error_y"] = new Dictionary<string, object?>
                {
                    ["type"] = "data", ["visible"] = true, ["color"] = colour, ["thickness"] = 1.5, ["width"] = 5,
                    ["array"] = points.Select(e => Math.Round(100 * (e.Margin95(dataset) ?? 0), 2)).ToArray(),
                },
                ["customdata"] = points.Select(e => Math.Round(100 * (e.Margin95(dataset) ?? 0), 2)).ToArray(),
                ["hovertemplate"] = "%{text}: %{y:.2f}% ± %{customdata:.2f} at %{x:.2f} M MACs<extra>" + label + "</extra>",
            }));
            lowest = Math.Min(lowest, points.Min(e => 100 * (e.Accuracy(dataset)!.Value - (e.Margin95(dataset) ?? 0))));
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
        string title = costsOnly ? "Zoo models: parameters versus MACs (no saved accuracies yet)" : "Zoo models: test accuracy (95 % interval) versus compute per image";
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

    private static string WithMargin(double? v, double? margin) => v is not { } x ? "not saved"
        : margin is { } m ? string.Create(CultureInfo.InvariantCulture, $"{100 * x:0.00}% ± {100 * m:0.00}")
        : string.Create(CultureInfo.InvariantCulture, $"{100 * x:0.00}%");

    private static string Sec(double? v) => v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:0.0}") : "not saved";
}
