using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WorkshopKit.Data;
using WorkshopKit.Setup;
using WorkshopKit.Visuals;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Training;

/// <summary>Which optimizer updates the weights.</summary>
/// <remarks>Comes with <see cref="Trainer"/>, first used in notebook 08 (Capstone: the model zoo), section "Your turn: train your own variant".</remarks>
public enum OptimizerKind
{
    /// <summary>Adam: adaptive per-parameter steps; a good default for small experiments.</summary>
    Adam,
    /// <summary>Stochastic gradient descent with momentum.</summary>
    Sgd,
}
