using System.Globalization;
using System.Text.Json;
using Plotly.NET;
using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Visuals;

namespace WorkshopKit.Training;

/// <summary>One saved training run of a zoo model (a row of <c>data/results/zoo/zoo.json</c>).</summary>
/// <param name="Dataset">"Mnist" or "FashionMnist".</param>
/// <param name="Model">The zoo name (see <see cref="ModelZoo.Names"/>).</param>
/// <param name="Parameters">Trainable values when it was trained.</param>
/// <param name="MacsAllTaps">Multiply-accumulates per image over all kernel taps, as recorded.</param>
/// <param name="TrainImages">Training images used.</param>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="SecondsPerEpoch">Mean wall time of an epoch on the machine that trained it.</param>
/// <param name="TestAccuracy">Accuracy on the test split after the last epoch (0 to 1).</param>
public sealed record ZooRun(string Dataset, string Model, long Parameters, long MacsAllTaps, int TrainImages, int Epochs, double SecondsPerEpoch, double TestAccuracy);

/// <summary>
/// The saved model-zoo runs (written by <c>experiments/zoo.cs</c>), so notebooks show accuracies and times without
/// training four models twice. A missing file is not an error: <see cref="Runs"/> is empty and <see cref="Source"/> says so,
/// and notebooks print <see cref="Command"/> to produce it.
/// </summary>
/// <param name="Runs">The saved runs (empty when nothing is saved yet).</param>
/// <param name="Source">The file read, or a note that it is missing.</param>
/// <param name="Command">The command that (re)generates the file, as recorded in it or the default.</param>
/// <param name="Note">The note saved with the runs (e.g. how loaded the machine was).</param>
public sealed record ZooResults(IReadOnlyList<ZooRun> Runs, string Source, string Command, string? Note)
{
    /// <summary>The command that trains the zoo on both datasets and saves the results (run from the repository root).</summary>
    public const string DefaultCommand = "dotnet run experiments/zoo.cs -- zoo 2000 20";

    /// <summary>True when at least one run is saved.</summary>
    public bool Any => Runs.Count > 0;

    /// <summary>Reads <c>results/zoo/zoo.json</c> under the data folder (null: the repository's data folder).</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a zoo results file.</exception>
    public static ZooResults Load(string? dataDirectory = null)
    {
        string data = dataDirectory ?? Datasets.FindDataDirectory();
        string path = Path.Combine(data, "results", "zoo", "zoo.json");
        // Named from the repository root (data/results/zoo/zoo.json): notebook outputs must not carry the checkout's path.
        string shown = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(data).TrimEnd(Path.DirectorySeparatorChar)) ?? data, path).Replace('\\', '/');
        if (!File.Exists(path)) return new ZooResults([], $"{shown} (not there yet)", DefaultCommand, null);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var runs = root.GetProperty("runs").EnumerateArray().Select(r => new ZooRun(
                r.GetProperty("dataset").GetString()!, r.GetProperty("model").GetString()!, r.GetProperty("parameters").GetInt64(),
                r.GetProperty("macsAllTaps").GetInt64(), r.GetProperty("trainImages").GetInt32(), r.GetProperty("epochs").GetInt32(),
                r.GetProperty("secondsPerEpoch").GetDouble(), r.GetProperty("testAccuracy").GetDouble())).ToList();
            string command = root.TryGetProperty("command", out var c) ? c.GetString() ?? DefaultCommand : DefaultCommand;
            string? note = root.TryGetProperty("note", out var n) ? n.GetString() : null;
            return new ZooResults(runs, shown, command, note);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a zoo results file ({e.Message}). Fix: regenerate it with `{DefaultCommand}` from the repository root.", e);
        }
    }

    /// <summary>The saved run of a model on a dataset, or null.</summary>
    public ZooRun? Find(DatasetName dataset, string model) =>
        Runs.FirstOrDefault(r => r.Dataset == dataset.ToString() && r.Model == model);
}

/// <summary>One zoo model: costs computed now from its blocks, accuracy and time from the saved runs (null when missing).</summary>
/// <param name="Model">The zoo name.</param>
/// <param name="Title">The network's own name (e.g. "small DenseNet").</param>
/// <param name="Parameters">Trainable values, counted on a freshly built model.</param>
/// <param name="Macs">Multiply-accumulates per 28x28 image (all kernel taps, <see cref="Block.Describe"/>).</param>
/// <param name="MnistAccuracy">Saved MNIST test accuracy (0 to 1).</param>
/// <param name="FashionAccuracy">Saved Fashion-MNIST test accuracy.</param>
/// <param name="MnistSecondsPerEpoch">Saved mean seconds per MNIST epoch.</param>
/// <param name="FashionSecondsPerEpoch">Saved mean seconds per Fashion-MNIST epoch.</param>
public sealed record ZooEntry(string Model, string Title, long Parameters, long Macs, double? MnistAccuracy, double? FashionAccuracy,
    double? MnistSecondsPerEpoch, double? FashionSecondsPerEpoch)
{
    /// <summary>The saved accuracy on a dataset, or null.</summary>
    public double? Accuracy(DatasetName dataset) => dataset == DatasetName.Mnist ? MnistAccuracy : FashionAccuracy;

    /// <summary>Accuracy in percent per million MACs: how much accuracy each unit of compute buys (null without a saved accuracy).</summary>
    public double? AccuracyPerMegaMac(DatasetName dataset) => Accuracy(dataset) is { } a ? 100 * a / (Macs / 1e6) : null;
}

/// <summary>
/// The capstone's table: every zoo model with parameters and MACs computed live and accuracy and time per epoch from
/// the saved runs, plus a scatter chart of accuracy versus MACs.
/// </summary>
/// <param name="Entries">One row per zoo model, in <see cref="ModelZoo.Names"/> order.</param>
/// <param name="Saved">The saved runs the accuracy columns come from.</param>
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
            var report = model.Describe(ModelZoo.Mnist);
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
        var report = model.Describe(ModelZoo.Mnist);
        return this with { Entries = [.. Entries, new ZooEntry(label, model.GetName(), report.Parameters, report.Macs, mnistAccuracy, null, secondsPerEpoch, null)] };
    }

    /// <summary>The model with the most accuracy per million MACs on a dataset, or null when no accuracy is saved.</summary>
    public ZooEntry? BestAccuracyPerMac(DatasetName dataset) =>
        Entries.Where(e => e.Accuracy(dataset) is not null).MaxBy(e => e.AccuracyPerMegaMac(dataset));

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

    /// <summary>Accuracy (percent) versus MACs (millions) for each dataset with saved runs; models are labelled. Without any saved accuracy it shows parameters versus MACs instead.</summary>
    public GenericChart ToChart(int width = 760, int height = 440)
    {
        var traces = new List<Trace>();
        foreach (var (dataset, label, colour) in new[] { (DatasetName.Mnist, "MNIST", "#4c78a8"), (DatasetName.FashionMnist, "Fashion-MNIST", "#f58518") })
        {
            var points = Entries.Where(e => e.Accuracy(dataset) is not null).ToList();
            if (points.Count == 0) continue;
            traces.Add(PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
            {
                ["x"] = points.Select(e => Math.Round(e.Macs / 1e6, 3)).ToArray(),
                ["y"] = points.Select(e => Math.Round(100 * e.Accuracy(dataset)!.Value, 2)).ToArray(),
                ["text"] = points.Select(e => e.Model).ToArray(), ["mode"] = "markers+text", ["textposition"] = "top center", ["name"] = label,
                ["marker"] = new Dictionary<string, object?> { ["size"] = 12, ["color"] = colour },
                ["hovertemplate"] = "%{text}: %{y:.2f}% at %{x:.2f} M MACs<extra>" + label + "</extra>",
            }));
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
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "MACs per image (millions)" }, ["type"] = "log" },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = costsOnly ? "parameters (thousands)" : "test accuracy (%)" } },
            ["width"] = width, ["height"] = height,
        });
    }

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double? v) => v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{100 * x:0.00}%") : "not saved";

    private static string Sec(double? v) => v is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x:0.0}") : "not saved";
}
