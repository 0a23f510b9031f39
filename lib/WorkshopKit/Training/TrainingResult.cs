using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WorkshopKit.Data;
using WorkshopKit.Setup;
using WorkshopKit.Visuals;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Training;

/// <summary>Everything a run produced: one row per epoch, why it stopped, the best epoch. Shows as a table; <see cref="TrainingCharts"/> plots it.</summary>
/// <param name="Model">Name of the trained model.</param>
/// <param name="Epochs">Per-epoch results in order.</param>
/// <param name="StopReason">Why training ended.</param>
/// <remarks>Comes with <see cref="Trainer"/>, first used in notebook 08 (Capstone: the model zoo), section "Your turn: train your own variant".</remarks>
public sealed record TrainingResult(string Model, IReadOnlyList<EpochResult> Epochs, string StopReason) : IHtmlDisplay
{
    /// <summary>The epoch with the highest test accuracy.</summary>
    public EpochResult Best => Epochs.MaxBy(e => e.TestAccuracy) ?? throw new InvalidOperationException("No epoch was completed.");

    /// <summary>The last completed epoch.</summary>
    public EpochResult Last => Epochs[^1];

    /// <summary>The epochs as a table.</summary>
    public HtmlTable ToTable() => new(["epoch", "train loss", "train acc", "test loss", "test acc", "seconds"],
        Epochs.Select(e => (IReadOnlyList<string>)[e.Epoch.ToString(CultureInfo.InvariantCulture), F4(e.TrainLoss), P(e.TrainAccuracy), F4(e.TestLoss), P(e.TestAccuracy), e.Seconds.ToString("0.0", CultureInfo.InvariantCulture)]).ToList(),
        $"{Model}: best test accuracy {P(Best.TestAccuracy)} at epoch {Best.Epoch}; stopped: {StopReason}");

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private static string F4(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
    private static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);
}
