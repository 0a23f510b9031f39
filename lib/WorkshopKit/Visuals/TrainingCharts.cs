using Plotly.NET;
using WorkshopKit.Training;

namespace WorkshopKit.Visuals;

/// <summary>Plotly charts of training curves, so a notebook shows how loss and accuracy evolved per epoch.</summary>
/// <remarks>Comes with <see cref="Trainer"/>, first used in notebook 04 (Pooling and upsampling), section "Training it briefly" (<see cref="StepLoss"/>).</remarks>
public static class TrainingCharts
{
    /// <summary>Train and test accuracy per epoch for one or more runs (one pair of lines per run).</summary>
    public static GenericChart Accuracy(params TrainingResult[] runs) => Curves(runs, e => e.TrainAccuracy, e => e.TestAccuracy, "accuracy");

    /// <summary>Train and test loss per epoch for one or more runs.</summary>
    public static GenericChart Loss(params TrainingResult[] runs) => Curves(runs, e => e.TrainLoss, e => e.TestLoss, "cross-entropy loss");

    /// <summary>
    /// The training loss of every step as a line (log scale, because the loss falls by orders of magnitude early on),
    /// with the test loss measured along the way as points.
    /// </summary>
    public static GenericChart StepLoss(TrainingResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string what = run.Loss == TrainingLoss.Reconstruction ? "mean squared error per pixel" : "cross-entropy";
        var steps = PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["x"] = Enumerable.Range(1, run.Steps).ToArray(), ["y"] = run.StepLosses.Select(v => Math.Round(v, 6)).ToArray(),
            ["mode"] = "lines", ["name"] = "training batch",
        });
        var test = PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["x"] = run.Curve.Select(p => p.Step).ToArray(), ["y"] = run.Curve.Select(p => Math.Round(p.TestLoss, 6)).ToArray(),
            ["mode"] = "markers", ["name"] = "test set",
        });
        Dictionary<string, object?> Title(string text) => new() { ["text"] = text };
        return PlotlyFigure.Chart([steps, test], new Dictionary<string, object?>
        {
            ["title"] = Title($"{run.Model}: loss over {run.Steps} steps on {run.TrainingImages} images"),
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = Title("optimizer step") },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = Title($"{what} (log scale)"), ["type"] = "log", ["tickformat"] = LogAxisLabels.TickFormat },
            ["width"] = 700, ["height"] = 400,
        });
    }

    private static GenericChart Curves(TrainingResult[] runs, Func<EpochResult, double> train, Func<EpochResult, double> test, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Length == 0) throw new ArgumentException("Give at least one training result to plot.", nameof(runs));
        var lines = new List<GenericChart>();
        foreach (var run in runs)
        {
            var epochs = run.Epochs.Select(e => e.Epoch).ToArray();
            lines.Add(Plotly.NET.CSharp.Chart.Line<int, double, string>(epochs, run.Epochs.Select(train).ToArray(), Name: $"{run.Model} train", ShowMarkers: true));
            lines.Add(Plotly.NET.CSharp.Chart.Line<int, double, string>(epochs, run.Epochs.Select(test).ToArray(), Name: $"{run.Model} test", ShowMarkers: true));
        }
        var combined = Plotly.NET.CSharp.Chart.Combine(lines);
        combined = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(combined, TitleText: "epoch");
        return Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(combined, TitleText: yTitle);
    }
}
