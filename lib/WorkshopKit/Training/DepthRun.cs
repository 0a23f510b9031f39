using System.Text.Json.Serialization;

namespace WorkshopKit.Training;

/// <summary>One saved run of the depth experiment (a row of <c>data/results/depth/depth.json</c>).</summary>
/// <param name="Model">"plain" or "residual".</param>
/// <param name="Normalization">"none" or "batch" (batch normalization after every convolution).</param>
/// <param name="ConvLayers">Convolutions in the stack.</param>
/// <param name="Parameters">Trainable values.</param>
/// <param name="GradNormFirstLayerAtInit">Gradient norm of the first convolution's weights at initialization (mean over 5 batches).</param>
/// <param name="GradNormLastConvAtInit">Gradient norm of the last convolution's weights at initialization.</param>
/// <param name="TrainLoss">Mean training loss over the last epoch's batches (what the optimizer achieved on the data it sees).</param>
/// <param name="TrainAccuracy">Training accuracy over the last epoch's batches.</param>
/// <param name="TestAccuracy">Accuracy on the test split after the last step (0 to 1).</param>
/// <param name="Steps">Optimizer steps taken (the same budget for every run).</param>
/// <param name="Curve">Test loss and accuracy along the steps.</param>
/// <param name="Device">Where it trained.</param>
/// <remarks>Comes with <see cref="DepthResults"/>, first used in notebook 06 (residual blocks), section "The depth experiment".</remarks>
public sealed record DepthRun(string Model, string Normalization, int ConvLayers, long Parameters, double GradNormFirstLayerAtInit, double GradNormLastConvAtInit,
    [property: JsonPropertyName("trainLossLastEpoch")] double TrainLoss, [property: JsonPropertyName("trainAccuracyLastEpoch")] double TrainAccuracy,
    double TestAccuracy, int Steps, IReadOnlyList<CurvePoint> Curve, string Device);
