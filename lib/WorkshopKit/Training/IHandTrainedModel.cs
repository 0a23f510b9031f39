using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>
/// A model that computes its own gradients and update instead of using autograd and an optimizer, so that a lesson can
/// show every rounding of a step (see <see cref="Precision.LowPrecisionMlp"/>). The <see cref="Trainer"/> then only
/// batches, evaluates, records and stops, exactly as for an <c>nn.Module</c>.
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)" (through <see cref="Precision.PrecisionResults"/>).</remarks>
public interface IHandTrainedModel
{
    /// <summary>One step of minibatch gradient descent on a batch; returns the batch's mean cross-entropy.</summary>
    /// <param name="images">A batch of inputs with the batch first.</param>
    /// <param name="labels">Class indices (int64).</param>
    /// <param name="learningRate">Step size.</param>
    float TrainStep(Tensor images, Tensor labels, double learningRate);

    /// <summary>Class scores (N, classes) for a batch, computed the way training computes them (same rounding).</summary>
    Tensor Predict(Tensor images);
}
