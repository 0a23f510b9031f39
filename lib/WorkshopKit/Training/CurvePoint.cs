namespace WorkshopKit.Training;

/// <summary>A point of a training curve: the test set measured after <see cref="Step"/> optimizer steps.</summary>
/// <param name="Step">Steps taken so far (0 = before training).</param>
/// <param name="TrainLoss">Mean training loss of the steps since the previous point (NaN at step 0).</param>
/// <param name="TestLoss">Mean loss on the test set at this step (cross-entropy, or squared error per pixel for reconstruction).</param>
/// <param name="TestAccuracy">Fraction of test images classified correctly (NaN for reconstruction).</param>
/// <param name="Seconds">Wall time of the training steps so far (not counting evaluations; varies with the machine and its load).</param>
/// <remarks>Comes with <see cref="Trainer"/> (<see cref="TrainerOptions.EvaluateEvery"/>); first used in notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)".</remarks>
public sealed record CurvePoint(int Step, double TrainLoss, double TestLoss, double TestAccuracy, double Seconds = 0)
{
    /// <summary>Fraction of test images misclassified: the number Gupta et al. (2015) plot.</summary>
    public double TestError => 1 - TestAccuracy;
}
