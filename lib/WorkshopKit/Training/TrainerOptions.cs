using System.Text.Json.Serialization;
using WorkshopKit.Setup;
using static TorchSharp.torch;

namespace WorkshopKit.Training;

/// <summary>
/// Settings of a training run, for every loop the workshop runs: classifiers, the autoencoder (set
/// <see cref="Loss"/>) and the hand-written low-precision network. The defaults train a small MNIST model in seconds.
/// </summary>
/// <remarks>First used in notebook 04 (Pooling and upsampling), section "Training it briefly"; notebook 08 (Capstone: the model zoo), section "Your turn: train your own variant".</remarks>
public sealed record TrainerOptions
{
    /// <summary>What to minimize: cross-entropy on labels, or the squared error of reconstructing the input.</summary>
    public TrainingLoss Loss { get; init; } = TrainingLoss.CrossEntropy;
    /// <summary>Maximum passes over the training set (ignored when <see cref="Steps"/> is set).</summary>
    public int Epochs { get; init; } = 5;
    /// <summary>When set, the run takes exactly this many optimizer steps, through as many (reshuffled) epochs as that needs: a budget that is the same on every machine.</summary>
    public int? Steps { get; init; }
    /// <summary>Images per mini-batch.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>
    /// With <see cref="Steps"/> set, lowers the learning rate from <see cref="LearningRate"/> to 0 along a half cosine
    /// over the run (PyTorch's <c>CosineAnnealingLR</c>): large steps early, small ones at the end, so the final
    /// weights settle instead of jumping around a minimum (which alone does not make the last accuracy the best one). Ignored by a hand-trained model.
    /// </summary>
    public bool CosineSchedule { get; init; }
    /// <summary>Skip each epoch's last, smaller batch, so every step sees <see cref="BatchSize"/> images.</summary>
    public bool DropLast { get; init; }
    /// <summary>Step size.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Adam or SGD (ignored by a hand-trained model, which updates itself).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Momentum for SGD.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Seed for the batch order and augmentation; call <c>torch.manual_seed</c> before building the model for reproducible weights.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Largest random shift in pixels applied to each training batch (0 = no augmentation).</summary>
    public int MaxShift { get; init; }
    /// <summary>Stop after this many epochs without a better test result (0 = never stop early).</summary>
    public int Patience { get; init; }
    /// <summary>Also measure the test set every this many steps, for <see cref="TrainingResult.Curve"/> (0 = only before training and after each epoch).</summary>
    public int EvaluateEvery { get; init; }
    /// <summary>Stop once this much wall time has been spent on training steps (null = no limit; otherwise above zero). Prefer <see cref="Steps"/>: a time budget stops at a different step on a busy machine.</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>Device to train on; null picks with <see cref="Devices.Pick()"/>. Not saved with results.</summary>
    [JsonIgnore]
    public Device? Device { get; init; }
}
