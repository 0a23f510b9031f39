using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Training;

/// <summary>
/// Everything a run produced: one row per epoch, the loss of every step, the test curve, why it stopped. Shows as a
/// table; <see cref="TrainingCharts"/> plots it.
/// </summary>
/// <param name="Model">Name of the trained model.</param>
/// <param name="Epochs">Per-epoch results in order (the last may be a partial epoch when a step budget ends it).</param>
/// <param name="StopReason">Why training ended.</param>
/// <remarks>Comes with <see cref="Trainer"/>, first used in notebook 04 (Pooling and upsampling), section "Training it briefly".</remarks>
public sealed record TrainingResult(string Model, IReadOnlyList<EpochResult> Epochs, string StopReason) : IHtmlDisplay
{
    /// <summary>What the run minimized.</summary>
    public TrainingLoss Loss { get; init; }

    /// <summary>The training loss of every optimizer step, in order.</summary>
    public IReadOnlyList<double> StepLosses { get; init; } = [];

    /// <summary>The test set measured before training, every <see cref="TrainerOptions.EvaluateEvery"/> steps and after every epoch, in step order.</summary>
    public IReadOnlyList<CurvePoint> Curve { get; init; } = [];

    /// <summary>How many images the training set held.</summary>
    public long TrainingImages { get; init; }

    /// <summary>How many optimizer steps ran.</summary>
    public int Steps => StepLosses.Count;

    /// <summary>Wall time of the training steps (varies with the machine and its load).</summary>
    public double Seconds => Epochs.Count == 0 ? 0 : Epochs[^1].ElapsedSeconds;

    /// <summary>Test loss before the first step.</summary>
    public double TestLossBefore => Curve.Count == 0 ? double.NaN : Curve[0].TestLoss;

    /// <summary>Test loss after the last step.</summary>
    public double TestLossAfter => Curve.Count == 0 ? double.NaN : Curve[^1].TestLoss;

    /// <summary>The epoch with the best test result: highest accuracy, or lowest loss for reconstruction.</summary>
    public EpochResult Best => (Loss == TrainingLoss.Reconstruction ? Epochs.MinBy(e => e.TestLoss) : Epochs.MaxBy(e => e.TestAccuracy))
        ?? throw new InvalidOperationException("No epoch was completed.");

    /// <summary>The last completed epoch.</summary>
    public EpochResult Last => Epochs[^1];

    /// <summary>The epochs as a table.</summary>
    public HtmlTable ToTable()
    {
        if (Loss == TrainingLoss.Reconstruction)
        {
            return new(["epoch", "train MSE", "test MSE", "seconds"],
                Epochs.Select(e => (IReadOnlyList<string>)[I(e.Epoch), F4(e.TrainLoss), F4(e.TestLoss), F1(e.Seconds)]).ToList(),
                $"{Model}: test MSE before {F4(TestLossBefore)}, test MSE after {F4(TestLossAfter)} ({I(Steps)} steps on {I(TrainingImages)} images); stopped: {StopReason}");
        }
        return new(["epoch", "train loss", "train acc", "test loss", "test acc", "seconds"],
            Epochs.Select(e => (IReadOnlyList<string>)[I(e.Epoch), F4(e.TrainLoss), P(e.TrainAccuracy), F4(e.TestLoss), P(e.TestAccuracy), F1(e.Seconds)]).ToList(),
            $"{Model}: best test accuracy {P(Best.TestAccuracy)} at epoch {Best.Epoch}; stopped: {StopReason}");
    }

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
    private static string F4(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
    private static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);
}
