using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WorkshopKit.Data;
using WorkshopKit.Setup;
using WorkshopKit.Visuals;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Training;

/// <summary>Settings of a training run; the defaults train a small MNIST model in seconds.</summary>
/// <remarks>First used in notebook 08 (Capstone: the model zoo), section "Your turn: train your own variant".</remarks>
public sealed record TrainerOptions
{
    /// <summary>Maximum passes over the training set.</summary>
    public int Epochs { get; init; } = 5;
    /// <summary>Images per mini-batch.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Step size.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Adam or SGD.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Momentum for SGD.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Seed for shuffling and augmentation; call <c>torch.manual_seed</c> before building the model for reproducible weights.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Largest random shift in pixels applied to each training batch (0 = no augmentation).</summary>
    public int MaxShift { get; init; }
    /// <summary>Stop after this many epochs without a better test accuracy (0 = never stop early).</summary>
    public int Patience { get; init; }
    /// <summary>Stop training once this much wall time has been spent on training steps (null = no limit); the epoch in progress is then evaluated.</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>Device to train on; null picks with <see cref="Devices.Pick()"/>.</summary>
    public Device? Device { get; init; }
}
