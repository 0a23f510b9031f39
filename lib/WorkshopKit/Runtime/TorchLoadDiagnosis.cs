using System.Runtime.InteropServices;
using System.Text;

namespace WorkshopKit.Runtime;

/// <summary>Turns a failed native load into one message with the real cause and the fix (the text of <see cref="TorchLoadException"/>).</summary>
internal static class TorchLoadDiagnosis
{
    /// <summary>Explains <paramref name="failure"/>: conflicting packages, a foreign libtorch, an old libstdc++, a missing libtorch, or what the loader said.</summary>
    public static string Explain(Exception failure)
    {
        const string variable = TorchRuntime.LibTorchVariable;
        var sb = new StringBuilder("WorkshopKit could not load TorchSharp's native libraries. ");
        var packages = DepsJson.LibTorchPackages();
        bool cpu = packages.Any(p => p.StartsWith("libtorch-cpu", StringComparison.Ordinal));
        bool cuda = packages.Any(p => p.StartsWith("libtorch-cuda", StringComparison.Ordinal));
        if (cpu && cuda)
        {
            sb.Append($"Cause: both a CPU and a CUDA libtorch package are referenced ({string.Join(", ", packages)}). " +
                "Fix: reference exactly one of TorchSharp-cpu, TorchSharp-cuda-windows or TorchSharp-cuda-linux (set TorchSharpPackage in Directory.Build.props; see environment.md).");
            return sb.ToString();
        }
        var foreign = BundledLibTorch.ForeignLoaded(BundledLibTorch.Folder());
        if (foreign.Count > 0 && Environment.GetEnvironmentVariable(variable) is null)
        {
            sb.Append($"Cause: another libtorch was loaded instead of TorchSharp's own: {string.Join(", ", foreign)} " +
                $"(TorchSharp 0.107.0 needs libtorch 2.10 from its package{(BundledLibTorch.Folder() is { } own ? ", in " + own : "")}). " +
                "This happens when a system or conda PyTorch/libtorch is on LD_LIBRARY_PATH or in /usr/lib and the first tensor is made before TorchRuntime.Initialize(). " +
                "Fix: call TorchRuntime.Initialize() first (every workshop notebook does in its second cell), or remove that folder from LD_LIBRARY_PATH; " +
                $"`dotnet run --project tools/WorkshopKit.Cli -- doctor` lists the libtorch copies it finds. TorchSharp said: {failure.Message}");
            return sb.ToString();
        }
        string? dlError = null;
        foreach (var candidate in LibTorchSharpPatch.Candidates())
        {
            try { NativeLibrary.Free(NativeLibrary.Load(candidate)); }
            catch (DllNotFoundException e) { dlError = e.Message; break; }
        }
        if (dlError is not null && dlError.Contains("GLIBCXX_", StringComparison.Ordinal))
        {
            sb.Append($"Cause: this system's libstdc++ is older than TorchSharp's native binding asks for ({dlError.Trim()}). " +
                "WorkshopKit marks the one unused requirement weak, but could not here (is the NuGet cache read-only?). " +
                "Fix: make ~/.nuget/packages/torchsharp writable and run `dotnet run --project tools/WorkshopKit.Cli -- doctor`, or install libstdc++ from GCC 13 or newer.");
        }
        else if (dlError is not null && (dlError.Contains("libtorch", StringComparison.Ordinal) || dlError.Contains("libc10", StringComparison.Ordinal)))
        {
            sb.Append($"Cause: libtorch itself was not found ({dlError.Trim()}). " +
                $"Fix: build the library first (`dotnet build lib/WorkshopKit` restores this platform's libtorch-cpu-{RuntimeInformation.RuntimeIdentifier} package, where plain TorchSharp finds it), " +
                $"reference a CUDA package, or set {variable} to the lib folder of a PyTorch installation.");
        }
        else if (dlError is not null)
        {
            sb.Append($"Cause reported by the system loader: {dlError.Trim()}");
        }
        else
        {
            sb.Append($"TorchSharp said: {failure.Message} " +
                $"Fix: check that exactly one TorchSharp-cpu / TorchSharp-cuda-* package is referenced, or set {variable}; run `dotnet run --project tools/WorkshopKit.Cli -- doctor` for a full report.");
        }
        return sb.ToString();
    }
}
