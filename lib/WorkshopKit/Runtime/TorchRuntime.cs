using System.Runtime.InteropServices;
using TorchSharp;

namespace WorkshopKit.Runtime;

/// <summary>
/// Makes TorchSharp 0.107.0 load on every machine the workshop supports, with no manual steps:
/// on Linux hosts whose libstdc++ lacks GLIBCXX_3.4.32 it marks that one version requirement of
/// <c>libLibTorchSharp.so</c> weak (see environment.md), it can preload libtorch from an existing
/// PyTorch installation, and when loading fails anyway it explains why.
/// </summary>
/// <remarks>
/// First used in notebook 00 (Setup: start here), section "Your environment"; every later notebook calls
/// <see cref="Initialize"/> in its first code cell. How it works is runtime plumbing: readers can skip it.
/// The steps live in internal helpers of this folder: <c>LibTorchSharpPatch</c> (ELF patch), <c>OneDnnConvolutions</c>,
/// <c>ExistingLibTorch</c> (<see cref="LibTorchVariable"/>), <c>BundledLibTorch</c>, <c>DepsJson</c> and
/// <c>TorchLoadDiagnosis</c>.
/// </remarks>
public static class TorchRuntime
{
    /// <summary>Environment variable naming a folder with libtorch's shared libraries (e.g. PyTorch's <c>torch/lib</c>), or <c>python</c> to ask <c>python3</c> where torch lives.</summary>
    public const string LibTorchVariable = "WORKSHOPKIT_LIBTORCH";

    /// <summary>The libstdc++ version TorchSharp 0.107.0 asks for but does not use.</summary>
    public const string UnusedGlibcxxVersion = "GLIBCXX_3.4.32";

    /// <summary>
    /// Environment variable choosing libtorch's CPU convolution library: <c>auto</c> (default: oneDNN, turned off where this
    /// CPU's cache leaf misleads it, <see cref="CpuCacheTopology.MisleadsOneDnn"/>), <c>off</c> (always ATen's own
    /// kernels: simulates the cure on a healthy host) or <c>on</c> (always oneDNN). See environment.md.
    /// </summary>
    public const string OneDnnVariable = "WORKSHOPKIT_ONEDNN";

    private static readonly object Gate = new();
    private static TorchRuntimeReport? report;
    private static (List<string> Actions, string? Source)? prepared;
    private static string? preparedFolder;

    /// <summary>The report of the first successful <see cref="Initialize"/>, or null before it.</summary>
    public static TorchRuntimeReport? Report => report;

    /// <summary>
    /// Prepares and loads TorchSharp's native backend once per process; later calls return the same report.
    /// Call it before the first tensor (WorkshopKit's own entry points do).
    /// </summary>
    /// <exception cref="TorchLoadException">The native libraries cannot be loaded; the message says why and how to fix it.</exception>
    public static TorchRuntimeReport Initialize()
    {
        lock (Gate)
        {
            if (report is not null) return report;
            var (actions, source) = PrepareCore();
            if (preparedFolder is null) BundledLibTorch.Preload(actions);
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or ExternalException)
            {
                throw new TorchLoadException(TorchLoadDiagnosis.Explain(e), e);
            }
            // Before any convolution: the cure for a misleading CPUID cache leaf, said in one line where it applies.
            var cpu = CpuCacheTopology.Read();
            bool oneDnnOff = OneDnnConvolutions.Apply(cpu, actions, out string? notice);
            if (notice is not null) Console.WriteLine("WorkshopKit: " + notice);
            report = new TorchRuntimeReport(
                RuntimeInformation.OSDescription + " (" + RuntimeInformation.OSArchitecture + ")",
                RuntimeInformation.FrameworkDescription,
                typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
                source ?? BundledLibTorch.Description(),
                torch.get_num_threads(),
                actions)
            { ExistingLibTorchFolder = preparedFolder, Cpu = cpu, ConvolutionBackend = oneDnnOff ? ConvSelfCheck.AtenBackend : ConvSelfCheck.OneDnnBackend };
            return report;
        }
    }

    /// <summary>
    /// Does the file-level work without touching TorchSharp: marks the unused libstdc++ requirement weak
    /// where the host needs it, and preloads an existing libtorch named by <see cref="LibTorchVariable"/>.
    /// WorkshopKit runs it when its assembly loads, so that even a first <c>torch.zeros</c> finds loadable natives.
    /// </summary>
    public static IReadOnlyList<string> Prepare()
    {
        lock (Gate) return PrepareCore().Actions;
    }

    private static (List<string> Actions, string? Source) PrepareCore()
    {
        if (prepared is { } done) return done;
        var actions = new List<string>();
        if (OperatingSystem.IsLinux()) LibTorchSharpPatch.Apply(actions);
        // The bundled description reads the app's deps.json: done later, by Initialize, not in the module initializer.
        var (source, folder) = ExistingLibTorch.Preload(actions);
        preparedFolder = folder;
        prepared = (actions, source);
        return prepared.Value;
    }

    /// <summary>Every copy of <c>libLibTorchSharp.so</c> this process might load: next to the app, in its runtimes folder, and in the NuGet cache (where notebooks load from).</summary>
    public static IEnumerable<string> LibTorchSharpCandidates() => LibTorchSharpPatch.Candidates();

    /// <summary>True when the host's libstdc++ defines <paramref name="version"/>; null when no libstdc++ was found to ask.</summary>
    public static bool? HostLibStdCxxDefines(string version) => LibTorchSharpPatch.HostLibStdCxxDefines(version);

    /// <summary>
    /// True when the libstdc++ already loaded in this process defines the symbol libLibTorchSharp.so needs at
    /// <see cref="UnusedGlibcxxVersion"/> (asked through glibc's dlvsym): the answer the start-up patch acts on, and the one
    /// that counts when a process has loaded another libstdc++ than the system's (conda's, say). Null when it cannot be asked.
    /// </summary>
    public static bool? LoadedLibStdCxxSatisfiesBinding() => LibTorchSharpPatch.ProcessLibStdCxxDefines(UnusedGlibcxxVersion);

    /// <summary>
    /// The folder holding the libtorch that TorchSharp would load: next to the app (builds and tests), TorchSharp's own
    /// consolidated folder in the NuGet cache (notebooks, after the first run) or the libtorch-cpu package's native folder.
    /// Null when none is found or when a CUDA libtorch package is also present (then TorchSharp decides).
    /// </summary>
    public static string? BundledLibTorchFolder() => BundledLibTorch.Folder();

    /// <summary>
    /// libtorch core libraries that this process has loaded from outside <paramref name="expectedFolder"/> (Linux, from
    /// /proc/self/maps): the evidence that a system or conda libtorch shadowed TorchSharp's.
    /// </summary>
    public static IReadOnlyList<string> ForeignLibTorchLoaded(string? expectedFolder) => BundledLibTorch.ForeignLoaded(expectedFolder);

    /// <summary>The libtorch packages named in the running app's dependency file (empty in notebooks, which have none).</summary>
    public static IReadOnlyList<string> LibTorchPackagesInDeps() => DepsJson.LibTorchPackages();

    /// <summary>The NuGet package cache (<c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>), where TorchSharp and libtorch live; the room pack and doctor read it.</summary>
    public static string NuGetPackagesFolder() => BundledLibTorch.NuGetPackagesFolder();
}
