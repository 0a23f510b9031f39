using System.Diagnostics;
using System.Globalization;
using Plotly.NET;
using TorchSharp;
using WorkshopKit.Visuals;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Training;

/// <summary>What a short autoencoder training run measured: the loss of every step, the test loss before and after, the time.</summary>
/// <param name="StepLosses">Mean squared error of each training batch, in step order.</param>
/// <param name="TestLossBefore">Mean squared error on the held-out images before the first step.</param>
/// <param name="TestLossAfter">The same after the last step.</param>
/// <param name="Seconds">Wall-clock training time (varies with the machine and its load).</param>
/// <param name="TrainingImages">How many images the run trained on.</param>
/// <param name="RecomputedSteps">Steps computed again because the loss or a gradient came back non-finite (see <see cref="ReconstructionTrainer.MaxAttempts"/>).</param>
/// <remarks>Comes with <see cref="ReconstructionTrainer"/>, first used in notebook 04 (Pooling and upsampling), section "Training it briefly".</remarks>
public sealed record ReconstructionResult(IReadOnlyList<double> StepLosses, double TestLossBefore, double TestLossAfter, double Seconds, long TrainingImages, int RecomputedSteps = 0) : IHtmlDisplay
{
    /// <summary>How many optimizer steps ran.</summary>
    public int Steps => StepLosses.Count;

    /// <summary>The loss per step as a line chart (log scale, because the loss falls by orders of magnitude early on).</summary>
    public GenericChart ToChart()
    {
        var trace = PlotlyFigure.Trace("scatter", new Dictionary<string, object?>
        {
            ["x"] = Enumerable.Range(1, Steps).ToArray(), ["y"] = StepLosses.Select(v => Math.Round(v, 6)).ToArray(),
            ["mode"] = "lines", ["name"] = "training batch",
        });
        Dictionary<string, object?> Title(string text) => new() { ["text"] = text };
        return PlotlyFigure.Chart([trace], new Dictionary<string, object?>
        {
            ["title"] = Title($"Reconstruction loss over {Steps} steps on {TrainingImages} images"),
            ["xaxis"] = new Dictionary<string, object?> { ["title"] = Title("optimizer step") },
            ["yaxis"] = new Dictionary<string, object?> { ["title"] = Title("mean squared error per pixel (log scale)"), ["type"] = "log" },
            ["width"] = 700, ["height"] = 400,
        });
    }

    private HtmlTable Table() => new(["steps", "training images", "test MSE before", "test MSE after", "recomputed steps", "time (s, this machine)"],
        [[Steps.ToString(CultureInfo.InvariantCulture), TrainingImages.ToString(CultureInfo.InvariantCulture),
          TestLossBefore.ToString("0.0000", CultureInfo.InvariantCulture), TestLossAfter.ToString("0.0000", CultureInfo.InvariantCulture),
          RecomputedSteps.ToString(CultureInfo.InvariantCulture), Seconds.ToString("0.0", CultureInfo.InvariantCulture)]], "Autoencoder training");

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
