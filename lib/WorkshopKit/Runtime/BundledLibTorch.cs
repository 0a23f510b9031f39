using System.Runtime.InteropServices;
using TorchSharp;

namespace WorkshopKit.Runtime;

/// <summary>The libtorch that comes with TorchSharp's packages: where it is, loading it by full path, and spotting a foreign copy.</summary>
internal static class BundledLibTorch
{
    /// <summary>libtorch's core libraries in load order; a system copy of any of them can shadow TorchSharp's.</summary>
    public static string[] CoreLibraries() => OperatingSystem.IsWindows()
        ? ["c10.dll", "torch_cpu.dll", "torch.dll"]
        : OperatingSystem.IsMacOS() ? ["libc10.dylib", "libtorch_cpu.dylib", "libtorch.dylib"] : ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>
    /// The NuGet package cache: <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>, with <c>~</c> taken from <c>HOME</c> on
    /// Linux and macOS as NuGet itself does (and the user profile on Windows, or where HOME is unset). HOME first also
    /// spares the module initializer the 2-3 ms that the first <c>Environment.GetFolderPath</c> call costs.
    /// </summary>
    public static string NuGetPackagesFolder()
    {
        string? configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(configured)) return configured;
        string? home = OperatingSystem.IsWindows() ? null : Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".nuget", "packages");
    }

    /// <summary>
    /// Loads TorchSharp's own libc10, libtorch_cpu and libtorch by full path before TorchSharp asks for them by name.
    /// In a notebook kernel TorchSharp.dll sits in the NuGet cache without libtorch beside it, so its name-based load goes to
    /// the system loader, which takes the first <c>libtorch.so</c> on LD_LIBRARY_PATH or in /usr/lib: a system PyTorch
    /// (Debian's python3-torch 1.13) then shadowed TorchSharp's libtorch 2.10 and failed with
    /// <c>undefined symbol: _ZNK3c105Error4whatEv</c>. A library the loader already holds wins every later name-based
    /// load, so preloading ours makes the shadow harmless (measured in environment.md, "A system libtorch").
    /// </summary>
    public static void Preload(List<string> actions)
    {
        if (!OperatingSystem.IsLinux()) return;
        string? folder = Folder();
        if (folder is null) return;
        foreach (var name in CoreLibraries())
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) continue;
            if (!NativeLibrary.TryLoad(path, out _)) return; // leave it to TorchSharp; TorchLoadDiagnosis explains a failure
        }
        actions.Add($"loaded TorchSharp's libtorch by full path from {folder} (a libtorch elsewhere on the library path cannot shadow it)");
    }

    /// <summary>See <see cref="TorchRuntime.BundledLibTorchFolder"/>.</summary>
    public static string? Folder()
    {
        string cpuLibrary = CoreLibraries()[1];
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, cpuLibrary))) return Path.GetFullPath(AppContext.BaseDirectory);
        // An app built without a runtime identifier (e.g. a file-based app outside this repository) keeps the native
        // files under runtimes/<rid>/native, and .NET loads them from there: preloading the NuGet cache's copy instead
        // put two libtorch_cpu copies in one process, and libtorch aborted ("Tried to register multiple backend
        // fallbacks"), measured 2026-12-02 on the Xeon (AVX-512) development machine.
        string ridNative = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        if (File.Exists(Path.Combine(ridNative, cpuLibrary))) return Path.GetFullPath(ridNative);
        string? torchAssembly = typeof(torch).Assembly.Location;
        if (!string.IsNullOrEmpty(torchAssembly))
        {
            string libDir = Path.GetDirectoryName(torchAssembly)!;
            if (File.Exists(Path.Combine(libDir, cpuLibrary))) return libDir;
            string consolidated = Path.Combine(libDir, "cpu");
            if (File.Exists(Path.Combine(consolidated, cpuLibrary))) return consolidated;
        }
        string packages = NuGetPackagesFolder();
        string rid = RuntimeInformation.RuntimeIdentifier;
        if (!Directory.Exists(packages)) return null;
        var libtorchPackages = Directory.GetDirectories(packages, "libtorch-*-" + rid);
        if (libtorchPackages.Any(p => Path.GetFileName(p).Contains("cuda", StringComparison.OrdinalIgnoreCase))) return null;
        return libtorchPackages
            .SelectMany(p => Directory.GetDirectories(p))
            .Select(v => Path.Combine(v, "runtimes", rid, "native"))
            .Where(d => File.Exists(Path.Combine(d, cpuLibrary)))
            .Order(StringComparer.Ordinal)
            .LastOrDefault();
    }

    /// <summary>The files this process has mapped (Linux, from /proc/self/maps; empty elsewhere), one line per mapping.</summary>
    public static IEnumerable<string> MappedFiles()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/maps")) yield break;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0) yield return line[slash..].Trim();
        }
    }

    /// <summary>See <see cref="TorchRuntime.ForeignLibTorchLoaded"/>.</summary>
    public static IReadOnlyList<string> ForeignLoaded(string? expectedFolder)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in MappedFiles())
        {
            string file = Path.GetFileName(path);
            if (!CoreLibraries().Any(l => file.StartsWith(l, StringComparison.Ordinal))) continue;
            if (expectedFolder is not null && path.StartsWith(expectedFolder.TrimEnd('/') + "/", StringComparison.Ordinal)) continue;
            found.Add(path);
        }
        return found.ToList();
    }

    /// <summary>The report's line for the package libtorch: the libtorch packages of the app's deps.json, if any.</summary>
    public static string Description()
    {
        var packages = DepsJson.LibTorchPackages();
        return packages.Count == 0 ? "TorchSharp package (location resolved by TorchSharp)" : "NuGet package " + string.Join(", ", packages);
    }
}
