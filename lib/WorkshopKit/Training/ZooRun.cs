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
/// <param name="Macs">Multiply-accumulates per image that touch the input (padding taps left out), as recorded.</param>
/// <param name="MacsAllTaps">Multiply-accumulates per image over all kernel taps, as recorded.</param>
/// <param name="TrainImages">Training images used.</param>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="SecondsPerEpoch">Mean wall time of an epoch on the machine that trained it.</param>
/// <param name="TestAccuracy">Accuracy on the test split after the last epoch (0 to 1).</param>
/// <param name="Curve">Every epoch's losses and accuracies (train accuracy shows whether a model was still learning).</param>
/// <param name="Stop">Why training ended (epochs done or the time budget).</param>
/// <param name="Device">Where it trained.</param>
/// <remarks>Comes with <see cref="ZooResults"/>, first used in notebook 07 (Dense blocks: every layer sees every earlier map), section "Cost versus a residual network".</remarks>
public sealed record ZooRun(string Dataset, string Model, long Parameters, long Macs, long MacsAllTaps, int TrainImages, int Epochs,
    double SecondsPerEpoch, double TestAccuracy, IReadOnlyList<EpochResult> Curve, string Stop, string Device)
{
    /// <summary>
    /// Fraction of the training images classified correctly during the last epoch (the last point of the saved curve),
    /// or NaN when the file has no curve. Next to <see cref="TestAccuracy"/> it says whether the model was still learning
    /// when it stopped.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double TrainAccuracy => Curve.Count > 0 ? Curve[^1].TrainAccuracy : double.NaN;
}
