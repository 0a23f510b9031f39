using System.Globalization;
using System.Text.Json;
using Plotly.NET;
using WorkshopKit.Blocks;
using WorkshopKit.Data;
using WorkshopKit.Visuals;

namespace WorkshopKit.Training;

/// <summary>One zoo model: costs computed now from its blocks, accuracy and time from the saved runs (null when missing).</summary>
/// <param name="Model">The zoo name.</param>
/// <param name="Title">The network's own name (e.g. "small DenseNet").</param>
/// <param name="Parameters">Trainable values, counted on a freshly built model.</param>
/// <param name="Macs">Multiply-accumulates per 28x28 image (all kernel taps, <see cref="Block.Describe"/>).</param>
/// <param name="MnistAccuracy">Saved MNIST test accuracy (0 to 1).</param>
/// <param name="FashionAccuracy">Saved Fashion-MNIST test accuracy.</param>
/// <param name="MnistSecondsPerEpoch">Saved mean seconds per MNIST epoch.</param>
/// <param name="FashionSecondsPerEpoch">Saved mean seconds per Fashion-MNIST epoch.</param>
/// <param name="MnistTestImages">How many test images the MNIST accuracy was measured on (null when unknown).</param>
/// <param name="FashionTestImages">How many test images the Fashion-MNIST accuracy was measured on.</param>
/// <remarks>Comes with <see cref="ZooComparison"/>, first used in notebook 08 (Capstone: the model zoo), section "The zoo in one table".</remarks>
public sealed record ZooEntry(string Model, string Title, long Parameters, long Macs, double? MnistAccuracy, double? FashionAccuracy,
    double? MnistSecondsPerEpoch, double? FashionSecondsPerEpoch, int? MnistTestImages = null, int? FashionTestImages = null)
{
    /// <summary>The saved accuracy on a dataset, or null.</summary>
    public double? Accuracy(DatasetName dataset) => dataset == DatasetName.Mnist ? MnistAccuracy : FashionAccuracy;

    /// <summary>How many test images the accuracy on a dataset was measured on, or null.</summary>
    public int? TestImages(DatasetName dataset) => dataset == DatasetName.Mnist ? MnistTestImages : FashionTestImages;

    /// <summary>
    /// Half the width of the accuracy's 95 % interval on a dataset (<see cref="ZooComparison.Margin95"/>: the sampling
    /// noise of a test set of that size), or null when the accuracy or the number of test images is unknown.
    /// </summary>
    public double? Margin95(DatasetName dataset) =>
        Accuracy(dataset) is { } p && TestImages(dataset) is { } n ? ZooComparison.Margin95(p, n) : null;
}
