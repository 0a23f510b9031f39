using Plotly.NET;
using WorkshopKit.Training;

namespace WorkshopKit.Visuals;

/// <summary>Plotly charts of training curves, so a notebook shows how loss and accuracy evolved per epoch.</summary>
/// <remarks>Comes with <see cref="Trainer"/>, first used in notebook 08 (Capstone: the model zoo), section "Your turn: train your own variant".</remarks>
public static class TrainingCharts
{
    /// <summary>Train and test accuracy per epoch for one or more runs (one pair of lines per run).</summary>
    public static GenericChart Accuracy(params TrainingResult[] runs) => Curves(runs, e => e.TrainAccuracy, e => e.TestAccuracy, "accuracy");

    /// <summary>Train and test loss per epoch for one or more runs.</summary>
    public static GenericChart Loss(params TrainingResult[] runs) => Curves(runs, e => e.TrainLoss, e => e.TestLoss, "cross-entropy loss");

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
