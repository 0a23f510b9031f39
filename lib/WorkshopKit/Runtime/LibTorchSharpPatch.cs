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
    public static void Apply(List<string> actions) => Apply(actions, null);

    /// <summary>
    /// <see cref="Apply(List{string})"/> on the given libraries, or on <see cref="Candidates"/> when null (tests pass a
    /// pristine copy). Nothing is read when the libstdc++ in this process defines the version: then nothing needs patching.
    /// </summary>
    internal static void Apply(List<string> actions, IEnumerable<string>? libraries)
    {
        string version = TorchRuntime.UnusedGlibcxxVersion;
        // The libstdc++ already in the process answers first (no file read); the file on disk only when it cannot be asked.
        if ((ProcessLibStdCxxDefines(version) ?? HostLibStdCxxDefines(version)) == true) return;
        foreach (var candidate in libraries ?? Candidates())
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

    /// <summary>
    /// The one symbol libLibTorchSharp.so 0.107.0 imports at <see cref="TorchRuntime.UnusedGlibcxxVersion"/>
    /// (<c>objdump -T libLibTorchSharp.so</c>): <c>std::ios_base_library_init()</c>, the anchor GCC 13's &lt;iostream&gt; emits.
    /// </summary>
    internal const string UnusedGlibcxxSymbol = "_ZSt21ios_base_library_initv";

    /// <summary>
    /// True when the libstdc++ already loaded in this process (the dotnet host and runtime link it) defines
    /// <paramref name="version"/> of <see cref="UnusedGlibcxxSymbol"/>: the copy the loader will bind libLibTorchSharp.so
    /// to, asked through <c>dlvsym</c> without reading any file. Null when it cannot be asked (no dlvsym, or no libstdc++ in
    /// the global scope, told by its oldest symbol <c>std::terminate()</c> at GLIBCXX_3.4); then the file on disk is read.
    /// </summary>
    internal static bool? ProcessLibStdCxxDefines(string version)
    {
        if (LibC.DefinesVersionedSymbol("_ZSt9terminatev", "GLIBCXX_3.4") != true) return null;
        return LibC.DefinesVersionedSymbol(UnusedGlibcxxSymbol, version);
    }

    /// <summary>True when the host's libstdc++ file defines <paramref name="version"/>; null when no libstdc++ was found to ask.</summary>
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
        var libFolders = new List<string>(); // TorchSharp.dll's folders, where TorchSharp consolidates libtorch (ConsolidatedFolders)
        string? torchAssembly = TorchSharpAssemblyPath();
        if (!string.IsNullOrEmpty(torchAssembly))
        {
            string libDir = Path.GetDirectoryName(torchAssembly)!;
            dirs.Add(libDir);
            libFolders.Add(libDir);
            var packageRoot = Directory.GetParent(libDir)?.Parent?.FullName;
            if (packageRoot is not null) dirs.Add(Path.Combine(packageRoot, "runtimes", "linux-x64", "native"));
        }
        string package = Path.Combine(BundledLibTorch.NuGetPackagesFolder(), "torchsharp", CompiledTorchSharpVersion);
        dirs.Add(Path.Combine(package, "runtimes", "linux-x64", "native"));
        libFolders.Add(Path.Combine(package, "lib", "net8.0"));
        foreach (var folder in libFolders)
            foreach (var name in ConsolidatedFolders) dirs.Add(Path.Combine(folder, name));

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
    /// The folders next to TorchSharp.dll into which TorchSharp 0.107 copies the native libraries when its ordinary load fails
    /// (its "consolidated directory": <c>cpu</c>, or <c>cuda-12.8</c> for the CUDA packages). Named, not listed with
    /// Directory.GetDirectories: the first directory listing of a process cost about 4 ms of every start (2026-12-02, AMD
    /// EPYC). TorchRuntimeTests reads the CUDA name from TorchSharp.dll itself, so a TorchSharp update cannot leave it stale.
    /// </summary>
    internal static readonly string[] ConsolidatedFolders = ["cpu", "cuda-12.8"];

    /// <summary>
    /// Where TorchSharp.dll is, without loading it: the module initializer runs before any tensor, and loading the
    /// 1.5 MB assembly there added milliseconds to every start (it is loaded anyway by the first tensor, but not here).
    /// The app's trusted assemblies first (a console app, a twin, the tests); then an already loaded TorchSharp (a
    /// notebook's <c>#r "nuget: ..."</c>, which the kernel's own list does not hold).
    /// </summary>
    private static string? TorchSharpAssemblyPath()
    {
        if (AssemblyLookup.Trusted("TorchSharp.dll") is { } trusted) return trusted;
        if (AssemblyLookup.Loaded("TorchSharp") is { } loaded) return loaded.Location;
        return LoadedTorchSharpLocation();
    }

    /// <summary>
    /// The last resort, in its own method: compiling a method that names <c>typeof(torch)</c> loads TorchSharp.dll, even
    /// when that line never runs, so the module initializer's common path must not contain it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string LoadedTorchSharpLocation() => typeof(torch).Assembly.Location;

    /// <summary>
    /// The TorchSharp version WorkshopKit is built against (Directory.Packages.props), naming its NuGet cache folder. A constant,
    /// not this assembly's reference list, which costs about a millisecond to read at every start; TorchRuntimeTests fails
    /// when it falls behind the package version.
    /// </summary>
    internal const string CompiledTorchSharpVersion = "0.107.0";
}
