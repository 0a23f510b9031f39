namespace WorkshopKit.Training;

/// <summary>One saved run of the depth experiment (a row of <c>data/results/depth/depth.json</c>).</summary>
/// <param name="Model">"plain" or "residual".</param>
/// <param name="ConvLayers">Convolutions in the stack.</param>
/// <param name="Parameters">Trainable values.</param>
/// <param name="GradNormFirstLayerAtInit">Gradient norm of the first convolution's weights at initialization (mean over 5 batches).</param>
/// <param name="GradNormLastConvAtInit">Gradient norm of the last convolution's weights at initialization.</param>
/// <param name="TestAccuracy">Accuracy on the test split after the last epoch (0 to 1).</param>
/// <param name="Epochs">Epochs completed.</param>
/// <remarks>Comes with <see cref="DepthResults"/>, first used in notebook 06 (residual blocks), section 2.2 "The residual block".</remarks>
public sealed record DepthRun(string Model, int ConvLayers, long Parameters, double GradNormFirstLayerAtInit, double GradNormLastConvAtInit, double TestAccuracy, int Epochs);
