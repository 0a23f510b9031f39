using System.Globalization;
using System.Text;
using System.Text.Json;
using Plotly.NET.CSharp;
using WorkshopKit.Visuals;
using static TorchSharp.torch;
using WorkshopKit.Data;
using WorkshopKit.Runtime;
using WorkshopKit.Training;

namespace WorkshopKit.Precision;

/// <summary>
/// Results of the limited-precision experiment (Gupta et al. 2015 at workshop scale): a table of test errors that
/// notebooks display, saved as JSON and CSV with a Plotly chart so they can be shown without retraining.
/// </summary>
/// <param name="Dataset">Which data the runs used.</param>
/// <param name="Hidden">Hidden units of the perceptron.</param>
/// <param name="Settings">Training settings shared by all runs (the <see cref="Trainer"/>'s options).</param>
/// <param name="Runs">One entry per configuration.</param>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)"; trained by experiments/precision.cs.</remarks>
public sealed record PrecisionResults(string Dataset, int Hidden, TrainerOptions Settings, IReadOnlyList<PrecisionRun> Runs) : IHtmlDisplay
{
    // The explicit reflection resolver keeps Load/Save working in .NET 10 file-based apps (the notebook twins), which turn
    // reflection-based JSON off by default because they default to PublishAot.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>
    /// The experiment's training settings: plain minibatch SGD with step 0.05 on batches of 32 (the incomplete last
    /// batch dropped, so every step has the same size), a test point every 100 steps.
    /// </summary>
    public static TrainerOptions DefaultSettings { get; } = new() { Epochs = 4, BatchSize = 32, DropLast = true, LearningRate = 0.05, Seed = 1, EvaluateEvery = 100 };

    /// <summary>Trains every configuration on the same data, with the same initial weights and batch order.</summary>
    /// <param name="dataset">A name for the data, stored with the results.</param>
    /// <param name="train">Training images (float32 in [0, 1]) and labels.</param>
    /// <param name="test">Test images and labels.</param>
    /// <param name="configs">The configurations to train.</param>
    /// <param name="hidden">Hidden units of the perceptron.</param>
    /// <param name="settings">Epochs, batch size and step size; <see cref="DefaultSettings"/> when null.</param>
    /// <param name="log">Receives a line per finished run (e.g. Console.WriteLine).</param>
    public static PrecisionResults Train(string dataset, Dataset train, Dataset test, IReadOnlyList<PrecisionConfig> configs, int hidden = 100,
        TrainerOptions? settings = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(configs);
        settings ??= DefaultSettings;
        var runs = new List<PrecisionRun>();
        foreach (var config in configs)
        {
            var run = TrainOne(train, test, config, hidden, settings);
            log?.Invoke($"{run.Label,-26} test error {run.TestError:P2}  ({run.Seconds:F1} s)");
            runs.Add(run);
        }
        return new PrecisionResults(dataset, hidden, settings, runs);
    }

    /// <summary>Trains one configuration with the <see cref="Trainer"/> and records its curve.</summary>
    public static PrecisionRun TrainOne(Dataset train, Dataset test, PrecisionConfig config, int hidden, TrainerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        var quantizer = config.Format is null ? null : new Quantizer(config.Format, config.Mode, settings.Seed);
        long inputs = train.Images.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        using var net = new LowPrecisionMlp((int)inputs, hidden, 10, quantizer, settings.Seed);
        var result = new Trainer(settings).Fit(net, train, test, modelName: config.Label);
        return new PrecisionRun(config.Label, config.Format?.WordLength ?? 32, config.Format?.FractionBits,
            config.Format is null ? "float32" : config.Mode.ToString(), result.Curve[^1].TestError, result.Seconds, result.Curve);
    }

    /// <summary>Writes <c>results.json</c>, <c>results.csv</c> and <c>curves.html</c> (a Plotly chart) into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(this, Json));
        var csv = new StringBuilder("label,word_length,fraction_bits,mode,test_error,seconds\n");
        foreach (var r in Runs)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Label},{r.WordLength},{r.FractionBits},{r.Mode},{r.TestError:F4},{r.Seconds:F1}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "results.csv"), csv.ToString());
        WorkshopKit.Runtime.NotebookHost.TwinOutput.WriteChartHtml(Chart(), Path.Combine(directory, "curves.html")); // plotly.js embedded: opens offline
    }

    /// <summary>Reads results saved by <see cref="Save"/>, so a notebook can show them without retraining.</summary>
    /// <param name="directory">The folder holding <c>results.json</c>; the shipped results are in <c>data/results/precision</c>.</param>
    /// <exception cref="FileNotFoundException"><c>results.json</c> (or the folder) is missing; the message names the path and how to restore or regenerate it.</exception>
    /// <exception cref="InvalidDataException">The file holds no results.</exception>
    public static PrecisionResults Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = Path.Combine(directory, "results.json");
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"Saved precision results {Path.GetFullPath(path)} are missing{(Directory.Exists(directory) ? "" : " (the folder does not exist either)")}. " +
                "Load the shipped ones from Path.Combine(Datasets.FindDataDirectory(), \"results\", \"precision\") (restore them with `git checkout -- data/results/precision`), " +
                "or train and save them again with `dotnet run experiments/precision.cs` from the repository root (see docs/precision.md).", path);
        return JsonSerializer.Deserialize<PrecisionResults>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{directory}/results.json holds no results; rerun the experiment (see docs/precision.md).");
    }

    /// <summary>Test error against training steps, one line per configuration.</summary>
    public Plotly.NET.GenericChart Chart()
    {
        var lines = Runs.Select(r => Plotly.NET.CSharp.Chart.Line<int, double, string>(
            x: r.Curve.Select(p => p.Step).ToArray(), y: r.Curve.Select(p => p.TestError).ToArray(), Name: r.Label));
        return Plotly.NET.CSharp.Chart.Combine(lines)
            .WithXAxisStyle<double, double, string>(TitleText: "training step")
            .WithYAxisStyle<double, double, string>(TitleText: $"test error on {Dataset}");
    }

    private HtmlTable Table() => new(["configuration", "WL", "FL", "rounding", "test error", "seconds"],
        Runs.Select(r => (IReadOnlyList<string>)[r.Label, r.WordLength.ToString(CultureInfo.InvariantCulture), r.FractionBits?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.Mode, r.TestError.ToString("P2", CultureInfo.InvariantCulture), r.Seconds.ToString("F1", CultureInfo.InvariantCulture)]).ToList(),
        $"Test error on {Dataset} ({Settings.Epochs} epochs, batch {Settings.BatchSize}, learning rate {Settings.LearningRate})");

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
