using TorchSharp;

namespace WorkshopKit.Setup;

/// <summary>The device WorkshopKit picked for tensors, and the reason, so a notebook can print both.</summary>
/// <param name="Device">The TorchSharp device to create tensors and modules on.</param>
/// <param name="Reason">One sentence on why this device was chosen.</param>
/// <remarks>First used in notebook 00 (Setup: start here), section "Your environment".</remarks>
public sealed record DeviceChoice(torch.Device Device, string Reason)
{
    /// <summary>True when the choice is a CUDA GPU.</summary>
    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <inheritdoc />
    public override string ToString() => $"{Device} ({Reason})";
}
