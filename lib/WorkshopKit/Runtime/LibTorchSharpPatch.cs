using TorchSharp;

namespace WorkshopKit.Runtime;

/// <summary>
/// Finds every <c>libLibTorchSharp.so</c> this process might load and marks its unused
/// <see cref="TorchRuntime.UnusedGlibcxxVersion"/> requirement weak on hosts whose libstdc++ lacks it (environment.md).
/// Runs in the module initializer at every start of every notebook, twin and test: it reads only a few kilobytes per
/// file (<see cref="ElfVersionNeeds"/>) and uses plain loops, no LINQ.
/// </summary>
internal static class LibTorchSharpPatch
{
    private static readonly string[] LibStdCxxPaths = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6"];

    /// <summary>Marks the requirement weak in every candidate that still has it strong, recording what it did in <paramref name="actions"/>.</summary>
    public static void Apply(List<string> actions)
    {
        string version = TorchRuntime.UnusedGlibcxxVersion;
        if (HostLibStdCxxDefines(version) == true) return;
        foreach (var candidate in Candidates())
        {
            try
            {
                var needs = ElfVersionNeeds.Read(candidate);
                bool strong = false;
                foreach (var need in needs) strong |= need.Version == version && !need.IsWeak;
                if (!strong) continue;
                if (ElfVersionNeeds.MarkWeak(candidate, "libstdc++.so.6", version))
                    actions.Add($"marked {version} weak in {candidate}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                actions.Add($"could not mark {version} weak in {candidate}: {e.Message}");
            }
        }
    }

    /// <summary>True when the host's libstdc++ defines <paramref name="version"/>; null when no libstdc++ was found to ask.</summary>
    public static bool? HostLibStdCxxDefines(string version)
    {
        foreach (var path in LibStdCxxPaths)
        {
            if (!File.Exists(path)) continue;
            try
            {
                foreach (var defined in ElfVersionNeeds.ReadDefinitions(path))
                    if (defined == version) return true;
                return false;
            }
            catch (InvalidDataException) { }
        }
        return null;
    }

    /// <summary>Every copy of <c>libLibTorchSharp.so</c> this process might load: next to the app, in its runtimes folder, and in the NuGet cache (where notebooks load from).</summary>
    public static IEnumerable<string> Candidates()
    {
        var dirs = new List<string> { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") };
        string? torchAssembly = TorchSharpAssemblyPath();
        if (!string.IsNullOrEmpty(torchAssembly))
        {
            string libDir = Path.GetDirectoryName(torchAssembly)!;
            dirs.Add(libDir);
            if (Directory.Exists(libDir)) dirs.AddRange(Directory.GetDirectories(libDir));
            var packageRoot = Directory.GetParent(libDir)?.Parent?.FullName;
            if (packageRoot is not null) dirs.Add(Path.Combine(packageRoot, "runtimes", "linux-x64", "native"));
        }
        string package = Path.Combine(BundledLibTorch.NuGetPackagesFolder(), "torchsharp", TorchSharpVersion());
        dirs.Add(Path.Combine(package, "runtimes", "linux-x64", "native"));
        string netLib = Path.Combine(package, "lib", "net8.0");
        if (Directory.Exists(netLib)) dirs.AddRange(Directory.GetDirectories(netLib));

        // Plain loops, no LINQ: this runs in the module initializer, where loading System.Linq and compiling its
        // generic pipeline cost about 10 ms of every start.
        var found = new List<string>();
        foreach (var dir in dirs)
        {
            string path = Path.Combine(dir, "libLibTorchSharp.so");
            if (!File.Exists(path)) continue;
            path = Path.GetFullPath(path);
            if (!found.Contains(path)) found.Add(path);
        }
        return found;
    }

    /// <summary>
    /// Where TorchSharp.dll is, without loading it: the module initializer runs before any tensor, and loading the
    /// 3 MB assembly there added about 8 ms to every start (it is loaded anyway by the first tensor, but not here).
    /// An already loaded TorchSharp (a notebook's <c>#r "nuget: ..."</c>) wins; then the app's trusted assemblies.
    /// </summary>
    private static string? TorchSharpAssemblyPath()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            if (assembly.GetName().Name == "TorchSharp") return assembly.Location;
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string trusted)
            foreach (var path in trusted.Split(Path.PathSeparator))
                if (string.Equals(Path.GetFileName(path), "TorchSharp.dll", StringComparison.Ordinal)) return path;
        return typeof(torch).Assembly.Location;
    }

    /// <summary>TorchSharp's version as WorkshopKit was compiled against it, read from this assembly's references (no load).</summary>
    private static string TorchSharpVersion()
    {
        foreach (var reference in typeof(TorchRuntime).Assembly.GetReferencedAssemblies())
            if (reference.Name == "TorchSharp" && reference.Version is { } v) return v.ToString(3);
        return "0.107.0";
    }
}
