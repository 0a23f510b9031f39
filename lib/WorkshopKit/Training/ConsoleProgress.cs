using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WorkshopKit.Data;
using WorkshopKit.Setup;
using WorkshopKit.Visuals;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace WorkshopKit.Training;

/// <summary>Writes each epoch's line to the console (and to notebook output, which captures the console).</summary>
/// <remarks>First used in notebook 08 (Capstone: the model zoo), section "Your turn: train your own variant".</remarks>
internal sealed class ConsoleProgress : IProgress<EpochResult>
{
    /// <inheritdoc />
    public void Report(EpochResult value) => Console.WriteLine(value);
}
