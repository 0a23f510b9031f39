using System.Globalization;
using System.Net;
using Plotly.NET;
using WorkshopKit.Runtime;
using WorkshopKit.Training;
using WorkshopKit.Runtime.NotebookHost;

namespace WorkshopKit.Visuals;

/// <summary>
/// A progress line and a chart of test accuracy and training loss that redraw themselves in place while a
/// <see cref="Trainer"/> runs, so a learner watches the network learn. Pass it as the trainer's progress; it receives
/// every test point (<see cref="TrainerOptions.EvaluateEvery"/>). Where a notebook cannot redraw an output (Jupyter's
/// .NET kernel, see <see cref="NotebookDisplay.UpdatesInPlace"/>) and in the file-based twins it prints the progress line
/// at every point instead and shows the chart when the step budget is reached.
/// </summary>
/// <param name="title">The chart's title, e.g. the model's name.</param>
/// <param name="totalSteps">The run's step budget (<see cref="TrainerOptions.Steps"/>): the x axis is fixed to it, so the curve grows from left to right.</param>
/// <param name="heldOut">What the trainer's held-out set is, for the labels: "test", or "validation" when a validation split is passed as the trainer's test set.</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "9. Watch a CNN learn".</remarks>
public sealed class LiveTrainingChart(string title, int totalSteps, string heldOut = "test") : IProgress<CurvePoint>, IProgress<EpochResult>, IHtmlDisplay
{
    private readonly List<CurvePoint> points = [];
    private Action<object>? redraw;
    private int epoch;

    /// <summary>The chart's title.</summary>
    public string Title { get; } = title ?? throw new ArgumentNullException(nameof(title));

    /// <summary>The step budget the x axis spans.</summary>
    public int TotalSteps { get; } = totalSteps >= 1 ? totalSteps : throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "The step budget must be at least 1 (set it to TrainerOptions.Steps).");

    /// <summary>The name of the held-out set in the labels ("test" or "validation").</summary>
    public string HeldOut { get; } = string.IsNullOrWhiteSpace(heldOut) ? throw new ArgumentException("Name the held-out set, e.g. \"test\" or \"validation\".", nameof(heldOut)) : heldOut;

    /// <summary>The test points received so far, in step order.</summary>
    public IReadOnlyList<CurvePoint> Points => points;

    /// <summary>One line: where training is and how well the network does on the test set.</summary>
    public string ProgressLine
    {
        get
        {
            if (points.Count == 0) return "waiting for the first test point";
            var p = points[^1];
            string loss = double.IsNaN(p.TrainLoss) ? "-" : p.TrainLoss.ToString("0.000", CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture,
                $"step {p.Step}/{TotalSteps} (epoch {Math.Max(epoch, 1)}) | {HeldOut} accuracy {p.TestAccuracy:P2} | train loss {loss} | {p.Seconds:0.0} s of training");
        }
    }

    /// <inheritdoc />
    public void Report(CurvePoint value)
    {
        ArgumentNullException.ThrowIfNull(value);
        points.Add(value);
        bool last = value.Step >= TotalSteps;
        if (NotebookDisplay.IsAvailable && NotebookDisplay.UpdatesInPlace)
        {
            if (redraw is null)
            {
                // The redrawn output replaces itself, so plotly.js (if this page has none yet) goes into an output of its own.
                string script = NotebookChart.TakePlotlyScript();
                if (script.Length > 0) NotebookDisplay.Show(new HtmlFragment(script));
                redraw = NotebookDisplay.Show(this);
            }
            else
            {
                redraw(this);
            }
            return;
        }
        // Jupyter (which cannot redraw in place), twins and consoles: a line per test point as it comes, the chart once at the end.
        Console.WriteLine(ProgressLine);
        if (!last) return;
        if (NotebookDisplay.IsAvailable) NotebookDisplay.Show(this);
        else if (TwinOutput.Folder is not null) TwinOutput.Show(ToChart());
    }

    /// <inheritdoc />
    public void Report(EpochResult value)
    {
        ArgumentNullException.ThrowIfNull(value);
        epoch = value.Epoch + 1;
    }

    /// <summary>Test accuracy (left axis, percent) and the mean training loss between test points (right axis) against the step.</summary>
    public GenericChart ToChart()
    {
        var accuracy = PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["x"] = points.Select(p => p.Step).ToArray(), ["y"] = points.Select(p => Math.Round(100 * p.TestAccuracy, 2)).ToArray(),
            ["mode"] = "lines+markers", ["name"] = $"{HeldOut} accuracy (%)",
        });
        var trained = points.Where(p => !double.IsNaN(p.TrainLoss)).ToList();
        var loss = PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["x"] = trained.Select(p => p.Step).ToArray(), ["y"] = trained.Select(p => Math.Round(p.TrainLoss, 4)).ToArray(),
            ["mode"] = "lines+markers", ["name"] = "training loss", ["yaxis"] = "y2", ["line"] = new Dictionary<string, object?> { ["dash"] = "dot" },
        });
        Dictionary<string, object?> Text(string text) => new() { ["text"] = text };
        return PlotlyFigure.Chart([accuracy, loss], new Dictionary<string, object?>
        {
            ["title"] = Text(Title),
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = Text("optimizer step"), ["range"] = new[] { 0, TotalSteps } },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = Text($"{HeldOut} accuracy (%)"), ["range"] = new[] { 0, 100 } },
            ["yaxis2"] = new Dictionary<string, object?> { ["title"] = Text("cross-entropy"), ["overlaying"] = "y", ["side"] = "right", ["rangemode"] = "tozero", ["showgrid"] = false },
            ["legend"] = new Dictionary<string, object?> { ["x"] = 0.55, ["y"] = 0.15 },
            ["width"] = 720, ["height"] = 380,
        });
    }

    /// <inheritdoc />
    public string ToHtml() => $"<div class=\"workshopkit-progress\"><code>{WebUtility.HtmlEncode(ProgressLine)}</code></div>" + NotebookChart.ToHtml(ToChart());

    /// <inheritdoc />
    public override string ToString() => ProgressLine;
}
