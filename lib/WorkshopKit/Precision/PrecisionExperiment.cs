using System.Globalization;
using System.Text;
using System.Text.Json;
using Plotly.NET.CSharp;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Precision;

/// <summary>One training configuration of the limited-precision experiment.</summary>
/// <param name="Format">The fixed-point format every stored value is rounded to; null for the float32 baseline.</param>
/// <param name="Mode">The rounding rule (ignored for the baseline).</param>
public sealed record PrecisionConfig(FixedPoint? Format, Rounding Mode)
{
    /// <summary>A label such as <c>float32</c> or <c>&lt;4,12&gt; Stochastic</c>.</summary>
    public string Label => Format is null ? "float32" : $"{Format.Name} {Mode}";

    /// <summary>The float32 baseline followed by WL = 16 with each FL under round to nearest and stochastic rounding.</summary>
    public static IReadOnlyList<PrecisionConfig> PaperGrid(params int[] fractionBits)
    {
        var list = new List<PrecisionConfig> { new(null, Rounding.Nearest) };
        foreach (var mode in new[] { Rounding.Nearest, Rounding.Stochastic })
            foreach (int fl in fractionBits)
                list.Add(new PrecisionConfig(NumberFormat.Fixed(16, fl), mode));
        return list;
    }
}

/// <summary>Sizes and step size of a training run.</summary>
/// <param name="Hidden">Hidden units of the perceptron.</param>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="LearningRate">Step size of gradient descent.</param>
/// <param name="Seed">Seed of weights, shuffling and stochastic rounding.</param>
/// <param name="EvaluateEvery">Record a point of the training curve every this many steps.</param>
public sealed record TrainingSettings(int Hidden = 100, int Epochs = 4, int BatchSize = 32, double LearningRate = 0.05, long Seed = 1, int EvaluateEvery = 100);

/// <summary>A point of a training curve.</summary>
/// <param name="Step">Steps taken so far.</param>
/// <param name="TrainLoss">Mean training loss since the previous point.</param>
/// <param name="TestError">Test error at this step.</param>
public sealed record CurvePoint(int Step, double TrainLoss, double TestError);

/// <summary>The outcome of one configuration: final test error and the training curve.</summary>
/// <param name="Label">The configuration's label.</param>
/// <param name="WordLength">WL, or 32 for the float32 baseline.</param>
/// <param name="FractionBits">FL, or null for the baseline.</param>
/// <param name="Mode">Rounding rule, or "float32".</param>
/// <param name="TestError">Final test error (fraction misclassified).</param>
/// <param name="Seconds">Training time.</param>
/// <param name="Curve">Test error and loss over training.</param>
public sealed record PrecisionRun(string Label, int WordLength, int? FractionBits, string Mode, double TestError, double Seconds, IReadOnlyList<CurvePoint> Curve);

/// <summary>
/// Results of the limited-precision experiment (Gupta et al. 2015 at workshop scale): a table of test errors that
/// notebooks display, saved as JSON and CSV with a Plotly chart so they can be shown without retraining.
/// </summary>
/// <param name="Dataset">Which data the runs used.</param>
/// <param name="Settings">Training settings shared by all runs.</param>
/// <param name="Runs">One entry per configuration.</param>
public sealed record PrecisionResults(string Dataset, TrainingSettings Settings, IReadOnlyList<PrecisionRun> Runs) : IHtmlDisplay
{
    // The explicit reflection resolver keeps Load/Save working in .NET 10 file-based apps (the notebook twins), which turn
    // reflection-based JSON off by default because they default to PublishAot.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Trains every configuration on the same data, with the same initial weights and batch order.</summary>
    /// <param name="dataset">A name for the data, stored with the results.</param>
    /// <param name="trainImages">Training inputs (N, ...), float32 in [0, 1].</param>
    /// <param name="trainLabels">Training labels (N), int64.</param>
    /// <param name="testImages">Test inputs.</param>
    /// <param name="testLabels">Test labels.</param>
    /// <param name="configs">The configurations to train.</param>
    /// <param name="settings">Sizes and step size.</param>
    /// <param name="log">Receives a line per finished run (e.g. Console.WriteLine).</param>
    public static PrecisionResults Train(string dataset, Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels,
        IReadOnlyList<PrecisionConfig> configs, TrainingSettings settings, Action<string>? log = null)
    {
        var runs = new List<PrecisionRun>();
        foreach (var config in configs)
        {
            var run = TrainOne(trainImages, trainLabels, testImages, testLabels, config, settings);
            log?.Invoke($"{run.Label,-26} test error {run.TestError:P2}  ({run.Seconds:F1} s)");
            runs.Add(run);
        }
        return new PrecisionResults(dataset, settings, runs);
    }

    /// <summary>Trains one configuration and records its curve.</summary>
    public static PrecisionRun TrainOne(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels, PrecisionConfig config, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(trainImages);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var quantizer = config.Format is null ? null : new Quantizer(config.Format, config.Mode, settings.Seed);
        long inputs = trainImages[0].numel();
        using var net = new LowPrecisionMlp((int)inputs, settings.Hidden, 10, quantizer, settings.Seed);
        var curve = new List<CurvePoint> { new(0, double.NaN, net.Error(testImages, testLabels)) };
        long n = trainImages.shape[0];
        var order = new Random((int)settings.Seed);
        int step = 0;
        double lossSum = 0;
        int lossCount = 0;
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            int[] permutation = Enumerable.Range(0, (int)n).OrderBy(_ => order.Next()).ToArray();
            using var indices = tensor(permutation.Select(i => (long)i).ToArray());
            for (long start = 0; start + settings.BatchSize <= n; start += settings.BatchSize)
            {
                using var scope = NewDisposeScope();
                Tensor batchIndex = indices.narrow(0, start, settings.BatchSize);
                float loss = net.TrainStep(trainImages.index_select(0, batchIndex), trainLabels.index_select(0, batchIndex), settings.LearningRate);
                lossSum += loss;
                lossCount++;
                step++;
                if (step % settings.EvaluateEvery == 0)
                {
                    curve.Add(new CurvePoint(step, lossSum / lossCount, net.Error(testImages, testLabels)));
                    lossSum = 0;
                    lossCount = 0;
                }
            }
        }
        double final = net.Error(testImages, testLabels);
        if (curve[^1].Step != step) curve.Add(new CurvePoint(step, lossCount == 0 ? double.NaN : lossSum / lossCount, final));
        return new PrecisionRun(config.Label, config.Format?.WordLength ?? 32, config.Format?.FractionBits,
            config.Format is null ? "float32" : config.Mode.ToString(), final, watch.Elapsed.TotalSeconds, curve);
    }

    /// <summary>Writes <c>results.json</c>, <c>results.csv</c> and <c>curves.html</c> (a Plotly chart) into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(this, Json));
        var csv = new StringBuilder("label,word_length,fraction_bits,mode,test_error,seconds\n");
        foreach (var r in Runs)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Label},{r.WordLength},{r.FractionBits},{r.Mode},{r.TestError:F4},{r.Seconds:F1}\n");
        File.WriteAllText(Path.Combine(directory, "results.csv"), csv.ToString());
        WorkshopKit.Visuals.TwinOutput.WriteChartHtml(Chart(), Path.Combine(directory, "curves.html")); // plotly.js embedded: opens offline
    }

    /// <summary>Reads results saved by <see cref="Save"/>, so a notebook can show them without retraining.</summary>
    public static PrecisionResults Load(string directory)
        => JsonSerializer.Deserialize<PrecisionResults>(File.ReadAllText(Path.Combine(directory, "results.json")), Json)
           ?? throw new InvalidDataException($"{directory}/results.json holds no results; rerun the experiment (see docs/precision.md).");

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
