using System.Text;

namespace WorkshopKit.Runtime;

/// <summary>What <see cref="TorchRuntime.Initialize"/> did and found, printable in a console or a notebook.</summary>
/// <remarks>First used in notebook 00 (Setup: start here), section "Your environment" (the printed report); runtime plumbing otherwise.</remarks>
public sealed record TorchRuntimeReport(
    string OperatingSystem,
    string DotNetVersion,
    string TorchSharpVersion,
    string LibTorchSource,
    int Threads,
    IReadOnlyList<string> Actions)
{
    /// <summary>The folder libtorch was preloaded from when <see cref="TorchRuntime.LibTorchVariable"/> is set (null when the package's libtorch is used), so a check can prove which copy is in the process.</summary>
    public string? ExistingLibTorchFolder { get; init; }

    /// <summary>What CPUID said about this CPU's caches (null on CPUs without CPUID), the evidence behind <see cref="ConvolutionBackend"/>.</summary>
    public CpuCacheTopology? Cpu { get; init; }

    /// <summary>Which library computes CPU convolutions: <see cref="ConvSelfCheck.OneDnnBackend"/> or, where oneDNN was turned off, <see cref="ConvSelfCheck.AtenBackend"/>.</summary>
    public string ConvolutionBackend { get; init; } = ConvSelfCheck.OneDnnBackend;

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"OS:         {OperatingSystem}");
        sb.AppendLine($".NET:       {DotNetVersion}");
        sb.AppendLine($"TorchSharp: {TorchSharpVersion}");
        sb.AppendLine($"libtorch:   {LibTorchSource}");
        sb.AppendLine($"threads:    {Threads}");
        sb.AppendLine($"CPU convs:  {ConvolutionBackend}");
        foreach (var a in Actions) sb.AppendLine($"setup:      {a}");
        return sb.ToString().TrimEnd();
    }
}
