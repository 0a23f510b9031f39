using System.Globalization;

namespace WorkshopKit.Training;

/// <summary>Losses and accuracies after one epoch, plus time and live tensors (for the memory-flatness check).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean loss over the epoch's training batches (cross-entropy, or squared error per pixel for reconstruction).</param>
/// <param name="TrainAccuracy">Fraction of training images classified correctly during the epoch (NaN for reconstruction).</param>
/// <param name="TestLoss">Mean loss on the test set after the epoch.</param>
/// <param name="TestAccuracy">Fraction of test images classified correctly after the epoch (NaN for reconstruction).</param>
/// <param name="Seconds">Wall time of the epoch's training steps.</param>
/// <param name="ElapsedSeconds">Training time since the start of the run.</param>
/// <param name="LiveTensors">TorchSharp's count of live tensors on this thread after the epoch (DisposeScopeManager.Statistics.ThreadTotalLiveCount).</param>
/// <remarks>Comes with <see cref="Trainer"/>, first used in notebook 04 (Pooling and upsampling), section "Training it briefly".</remarks>
public sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double Seconds, double ElapsedSeconds, long LiveTensors)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch,3}: train loss {TrainLoss:0.0000} acc {TrainAccuracy:P2} | test loss {TestLoss:0.0000} acc {TestAccuracy:P2} | {Seconds:0.0} s");
}
