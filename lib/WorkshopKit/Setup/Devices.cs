using TorchSharp;
using WorkshopKit.Runtime;

namespace WorkshopKit.Setup;

/// <summary>Picks CUDA when it is available and CPU otherwise; <c>WORKSHOPKIT_DEVICE</c> overrides the choice.</summary>
/// <remarks>First used in notebook 00 (Setup: start here), section "Your environment".</remarks>
public static class Devices
{
    /// <summary>Environment variable that forces a device: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> (the default).</summary>
    public const string DeviceVariable = "WORKSHOPKIT_DEVICE";

    /// <summary>Chooses the device for this process and says why.</summary>
    /// <exception cref="ArgumentException">The variable names an unknown device, or asks for a CUDA device that this machine does not have.</exception>
    public static DeviceChoice Pick() => Pick(Environment.GetEnvironmentVariable(DeviceVariable));

    /// <summary>Chooses the device from an explicit setting (null or <c>auto</c> means: CUDA if available).</summary>
    public static DeviceChoice Pick(string? setting)
    {
        TorchRuntime.Initialize();
        string value = (setting ?? "auto").Trim().ToLowerInvariant();
        bool cudaAvailable = CudaAvailable(out int count);
        switch (value)
        {
            case "" or "auto":
                return cudaAvailable
                    ? new DeviceChoice(torch.CUDA, $"CUDA is available ({count} device(s)); set {DeviceVariable}=cpu to use the CPU")
                    : new DeviceChoice(torch.CPU, $"no CUDA device is available to TorchSharp ({CudaAbsenceReason()}); using the CPU");
            case "cpu":
                return new DeviceChoice(torch.CPU, $"{DeviceVariable}=cpu asks for the CPU");
        }
        if (value == "cuda" || value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (value.Length > 5 && (!int.TryParse(value[5..], out index) || index < 0))
                throw new ArgumentException($"{DeviceVariable}='{setting}' has no valid device index; use cuda, cuda:0, cuda:1, ...", nameof(setting));
            if (!cudaAvailable)
                throw new ArgumentException($"{DeviceVariable}='{setting}' asks for CUDA, but {CudaAbsenceReason()}. Unset {DeviceVariable} or set it to cpu.", nameof(setting));
            if (index >= count)
                throw new ArgumentException($"{DeviceVariable}='{setting}' asks for CUDA device {index}, but this machine has {count} (indices 0 to {count - 1}).", nameof(setting));
            return new DeviceChoice(torch.device(DeviceType.CUDA, index), $"{DeviceVariable}={value} asks for this GPU");
        }
        throw new ArgumentException($"{DeviceVariable}='{setting}' is not a device WorkshopKit knows; use auto, cpu, cuda or cuda:N.", nameof(setting));
    }

    private static bool CudaAvailable(out int count)
    {
        count = 0;
        try
        {
            if (!torch.cuda.is_available()) return false;
            count = torch.cuda.device_count();
            return count > 0;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or InvalidOperationException or TypeInitializationException)
        {
            return false;
        }
    }

    private static string CudaAbsenceReason()
    {
        var packages = TorchRuntime.LibTorchPackagesInDeps();
        if (packages.Count > 0 && packages.All(p => p.StartsWith("libtorch-cpu", StringComparison.Ordinal)))
            return "the app references the CPU-only TorchSharp-cpu package (see environment.md to switch to a CUDA package)";
        return "no CUDA driver or CUDA build of libtorch was found";
    }
}
