using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace WorkshopKit.Setup;

/// <summary>What <see cref="TorchRuntime.Initialize"/> did and found, printable in a console or a notebook.</summary>
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

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"OS:         {OperatingSystem}");
        sb.AppendLine($".NET:       {DotNetVersion}");
        sb.AppendLine($"TorchSharp: {TorchSharpVersion}");
        sb.AppendLine($"libtorch:   {LibTorchSource}");
        sb.AppendLine($"threads:    {Threads}");
        foreach (var a in Actions) sb.AppendLine($"setup:      {a}");
        return sb.ToString().TrimEnd();
    }
}

/// <summary>Raised when TorchSharp's native libraries cannot be loaded; the message names the real cause and the fix.</summary>
public sealed class TorchLoadException : Exception
{
    /// <summary>Creates the exception with WorkshopKit's diagnosis.</summary>
    public TorchLoadException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>Creates the exception with a default message.</summary>
    public TorchLoadException() : base("TorchSharp's native libraries could not be loaded.") { }

    /// <summary>Creates the exception with a message.</summary>
    public TorchLoadException(string message) : base(message) { }
}

/// <summary>
/// Makes TorchSharp 0.107.0 load on every machine the workshop supports, with no manual steps:
/// on Linux hosts whose libstdc++ lacks GLIBCXX_3.4.32 it marks that one version requirement of
/// <c>libLibTorchSharp.so</c> weak (see environment.md), it can preload libtorch from an existing
/// PyTorch installation, and when loading fails anyway it explains why.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Environment variable naming a folder with libtorch's shared libraries (e.g. PyTorch's <c>torch/lib</c>), or <c>python</c> to ask <c>python3</c> where torch lives.</summary>
    public const string LibTorchVariable = "WORKSHOPKIT_LIBTORCH";

    /// <summary>The libstdc++ version TorchSharp 0.107.0 asks for but does not use.</summary>
    public const string UnusedGlibcxxVersion = "GLIBCXX_3.4.32";

    private static readonly object Gate = new();
    private static TorchRuntimeReport? report;

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
            if (preparedFolder is null) PreloadBundledLibTorch(actions);
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or ExternalException)
            {
                throw new TorchLoadException(Diagnose(e), e);
            }
            report = new TorchRuntimeReport(
                RuntimeInformation.OSDescription + " (" + RuntimeInformation.OSArchitecture + ")",
                RuntimeInformation.FrameworkDescription,
                typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
                source ?? BundledLibTorchDescription(),
                torch.get_num_threads(),
                actions)
            { ExistingLibTorchFolder = preparedFolder };
            return report;
        }
    }

    private static (List<string> Actions, string? Source)? prepared;
    private static string? preparedFolder;

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
        if (OperatingSystem.IsLinux()) PatchLibTorchSharp(actions);
        if (OperatingSystem.IsLinux()) CapOneDnnIsa(actions);
        // The bundled description reads the app's deps.json: done later, by Initialize, not in the module initializer.
        string? source = PreloadExistingLibTorch(actions);
        prepared = (actions, source);
        return prepared.Value;
    }

    /// <summary>Every copy of <c>libLibTorchSharp.so</c> this process might load: next to the app, in its runtimes folder, and in the NuGet cache (where notebooks load from).</summary>
    public static IEnumerable<string> LibTorchSharpCandidates()
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
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string version = TorchSharpVersion();
        string package = Path.Combine(packages, "torchsharp", version);
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

    private static readonly string[] LibStdCxxPaths = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6"];

    /// <summary>Environment variable that keeps oneDNN's full instruction set on AVX-512 hosts (set it to 1); see <see cref="CapOneDnnIsa"/>.</summary>
    public const string NativeIsaVariable = "WORKSHOPKIT_NATIVE_ISA";

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setenv")]
    private static extern int NativeSetEnv(string name, string value, int overwrite);

    /// <summary>
    /// On Linux x64 hosts with AVX-512, caps oneDNN (libtorch's CPU convolution library) at AVX2 by setting
    /// <c>DNNL_MAX_CPU_ISA=AVX2</c> in the native environment before libtorch starts. On the AMD EPYC (AVX-512) CI machine,
    /// conv2d's backward pass with 8 output channels returned wrong input gradients in 19 of 120 trials with oneDNN's
    /// AVX-512 kernels and in 0 of 240 with the cap (environment.md). Results are identical in kind; only speed can
    /// differ. An explicit DNNL_MAX_CPU_ISA, or <see cref="NativeIsaVariable"/>=1, is left alone.
    /// </summary>
    private static void CapOneDnnIsa(List<string> actions)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;
        if (Environment.GetEnvironmentVariable(NativeIsaVariable) == "1" || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        // .NET keeps its own copy of the environment on Unix; native libraries read the C one, so set both.
        if (NativeSetEnv("DNNL_MAX_CPU_ISA", "AVX2", 0) == 0)
        {
            Environment.SetEnvironmentVariable("DNNL_MAX_CPU_ISA", "AVX2");
            actions.Add($"capped oneDNN at AVX2 on this AVX-512 host (DNNL_MAX_CPU_ISA=AVX2; set {NativeIsaVariable}=1 to keep AVX-512)");
        }
    }

    private static void PatchLibTorchSharp(List<string> actions)
    {
        // Reads only a few kilobytes per file (ElfVersionNeeds) and avoids LINQ: this runs in the module initializer
        // at every start of every notebook, twin and test.
        if (HostLibStdCxxDefines(UnusedGlibcxxVersion) == true) return;
        var candidates = LibTorchSharpCandidates();
        foreach (var candidate in candidates)
        {
            try
            {
                var needs = ElfVersionNeeds.Read(candidate);
                bool strong = false;
                foreach (var need in needs) strong |= need.Version == UnusedGlibcxxVersion && !need.IsWeak;
                if (!strong) continue;
                if (ElfVersionNeeds.MarkWeak(candidate, "libstdc++.so.6", UnusedGlibcxxVersion))
                    actions.Add($"marked {UnusedGlibcxxVersion} weak in {candidate}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                actions.Add($"could not mark {UnusedGlibcxxVersion} weak in {candidate}: {e.Message}");
            }
        }
    }

    private static string? PreloadExistingLibTorch(List<string> actions)
    {
        string? setting = Environment.GetEnvironmentVariable(LibTorchVariable);
        if (string.IsNullOrWhiteSpace(setting)) return null;
        string folder = setting.Trim().Equals("python", StringComparison.OrdinalIgnoreCase) ? FindPythonTorchLib() : setting.Trim();
        if (!Directory.Exists(folder))
            throw new TorchLoadException($"{LibTorchVariable} names '{folder}', which is not a folder. Set it to the 'lib' folder of a libtorch or PyTorch installation " +
                "(python3 -c \"import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\"), or to 'python', or unset it to use the TorchSharp package's libtorch.");
        folder = Path.GetFullPath(folder);
        string[] order = OperatingSystem.IsWindows()
            ? ["c10.dll", "torch_cpu.dll", "c10_cuda.dll", "torch_cuda.dll", "torch.dll"]
            : OperatingSystem.IsMacOS()
                ? ["libc10.dylib", "libtorch_cpu.dylib", "libtorch.dylib"]
                : ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];
        string cpuLibrary = order[1];
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, cpuLibrary)) &&
            !string.Equals(Path.GetFullPath(AppContext.BaseDirectory).TrimEnd(Path.DirectorySeparatorChar), folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            // TorchSharp loads the app's own copy by its path, so the process would hold two libtorch copies and
            // which one a call reaches would be up to the loader. Refuse instead of running on a mix.
            throw new TorchLoadException($"{LibTorchVariable} names {folder}, but this app also bundles its own libtorch ({Path.Combine(AppContext.BaseDirectory, cpuLibrary)}, " +
                "from the TorchSharp-cpu package), which TorchSharp would load too: two libtorch copies in one process, and the system loader choosing which one each call reaches. Fix: build or publish with " +
                $"-p:TorchSharpPackage=TorchSharp (TorchSharp without libtorch; see docs/gpu.md), or unset {LibTorchVariable}.");
        }
        foreach (var name in order)
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) continue;
            try { NativeLibrary.Load(path); }
            catch (DllNotFoundException e)
            {
                string hint = name.Contains("cuda", StringComparison.Ordinal)
                    ? " A CUDA build of libtorch needs the CUDA libraries it was built with (for pip's PyTorch: the nvidia-* packages next to torch in site-packages); " +
                      "if they live elsewhere, add their folders to LD_LIBRARY_PATH before starting the program."
                    : "";
                throw new TorchLoadException($"Could not load {path} from {LibTorchVariable}: {e.Message}.{hint}", e);
            }
            actions.Add($"preloaded {path}");
        }
        preparedFolder = folder;
        return $"existing installation in {folder} (from {LibTorchVariable})";
    }

    /// <summary>libtorch's core libraries in load order; a system copy of any of them can shadow TorchSharp's.</summary>
    private static string[] CoreLibraries() => OperatingSystem.IsWindows()
        ? ["c10.dll", "torch_cpu.dll", "torch.dll"]
        : OperatingSystem.IsMacOS() ? ["libc10.dylib", "libtorch_cpu.dylib", "libtorch.dylib"] : ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>
    /// Loads TorchSharp's own libc10, libtorch_cpu and libtorch by full path before TorchSharp asks for them by name.
    /// In a notebook kernel TorchSharp.dll sits in the NuGet cache without libtorch beside it, so its name-based load goes to
    /// the system loader, which takes the first <c>libtorch.so</c> on LD_LIBRARY_PATH or in /usr/lib: a system PyTorch
    /// (Debian's python3-torch 1.13) then shadowed TorchSharp's libtorch 2.10 and failed with
    /// <c>undefined symbol: _ZNK3c105Error4whatEv</c>. A library the loader already holds wins every later name-based
    /// load, so preloading ours makes the shadow harmless (measured in environment.md, "A system libtorch").
    /// </summary>
    private static void PreloadBundledLibTorch(List<string> actions)
    {
        if (!OperatingSystem.IsLinux()) return;
        string? folder = BundledLibTorchFolder();
        if (folder is null) return;
        foreach (var name in CoreLibraries())
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) continue;
            if (!NativeLibrary.TryLoad(path, out _)) return; // leave it to TorchSharp; Diagnose explains a failure
        }
        actions.Add($"loaded TorchSharp's libtorch by full path from {folder} (a libtorch elsewhere on the library path cannot shadow it)");
    }

    /// <summary>
    /// The folder holding the libtorch that TorchSharp would load: next to the app (builds and tests), TorchSharp's own
    /// consolidated folder in the NuGet cache (notebooks, after the first run) or the libtorch-cpu package's native folder.
    /// Null when none is found or when a CUDA libtorch package is also present (then TorchSharp decides).
    /// </summary>
    public static string? BundledLibTorchFolder()
    {
        string cpuLibrary = CoreLibraries()[1];
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, cpuLibrary))) return Path.GetFullPath(AppContext.BaseDirectory);
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

    private static string NuGetPackagesFolder() => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// libtorch core libraries that this process has loaded from outside <paramref name="expectedFolder"/> (Linux, from
    /// /proc/self/maps): the evidence that a system or conda libtorch shadowed TorchSharp's.
    /// </summary>
    public static IReadOnlyList<string> ForeignLibTorchLoaded(string? expectedFolder)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/maps")) return [];
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0) continue;
            string path = line[slash..].Trim();
            string file = Path.GetFileName(path);
            if (!CoreLibraries().Any(l => file.StartsWith(l, StringComparison.Ordinal))) continue;
            if (expectedFolder is not null && path.StartsWith(expectedFolder.TrimEnd('/') + "/", StringComparison.Ordinal)) continue;
            found.Add(path);
        }
        return found.ToList();
    }

    private static string FindPythonTorchLib()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                OperatingSystem.IsWindows() ? "python" : "python3",
                "-c \"import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\"")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            string output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode == 0 && Directory.Exists(output)) return output;
            throw new TorchLoadException($"{LibTorchVariable}=python, but python3 could not import torch (exit {p.ExitCode}). Install PyTorch or set {LibTorchVariable} to libtorch's lib folder.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TorchLoadException($"{LibTorchVariable}=python, but no python3 was found on PATH. Set {LibTorchVariable} to libtorch's lib folder instead.", e);
        }
    }

    private static string BundledLibTorchDescription()
    {
        var packages = LibTorchPackagesInDeps();
        return packages.Count == 0 ? "TorchSharp package (location resolved by TorchSharp)" : "NuGet package " + string.Join(", ", packages);
    }

    /// <summary>The libtorch packages named in the running app's dependency file (empty in notebooks, which have none).</summary>
    public static IReadOnlyList<string> LibTorchPackagesInDeps()
    {
        var found = new List<string>();
        foreach (var deps in Directory.Exists(AppContext.BaseDirectory) ? Directory.GetFiles(AppContext.BaseDirectory, "*.deps.json") : [])
        {
            string text = File.ReadAllText(deps);
            foreach (var prefix in new[] { "\"libtorch-cpu-", "\"libtorch-cuda-" })
            {
                int i = 0;
                while ((i = text.IndexOf(prefix, i, StringComparison.Ordinal)) >= 0)
                {
                    int end = text.IndexOf('"', i + 1);
                    string name = text[(i + 1)..end];
                    if (!name.Contains('/', StringComparison.Ordinal)) { i = end; continue; }
                    if (!found.Contains(name)) found.Add(name);
                    i = end;
                }
            }
        }
        return found;
    }

    private static string Diagnose(Exception failure)
    {
        var sb = new StringBuilder("WorkshopKit could not load TorchSharp's native libraries. ");
        var packages = LibTorchPackagesInDeps();
        bool cpu = packages.Any(p => p.StartsWith("libtorch-cpu", StringComparison.Ordinal));
        bool cuda = packages.Any(p => p.StartsWith("libtorch-cuda", StringComparison.Ordinal));
        if (cpu && cuda)
        {
            sb.Append($"Cause: both a CPU and a CUDA libtorch package are referenced ({string.Join(", ", packages)}). " +
                "Fix: reference exactly one of TorchSharp-cpu, TorchSharp-cuda-windows or TorchSharp-cuda-linux (set TorchSharpPackage in Directory.Build.props; see environment.md).");
            return sb.ToString();
        }
        var foreign = ForeignLibTorchLoaded(BundledLibTorchFolder());
        if (foreign.Count > 0 && Environment.GetEnvironmentVariable(LibTorchVariable) is null)
        {
            sb.Append($"Cause: another libtorch was loaded instead of TorchSharp's own: {string.Join(", ", foreign)} " +
                $"(TorchSharp 0.107.0 needs libtorch 2.10 from its package{(BundledLibTorchFolder() is { } own ? ", in " + own : "")}). " +
                "This happens when a system or conda PyTorch/libtorch is on LD_LIBRARY_PATH or in /usr/lib and the first tensor is made before TorchRuntime.Initialize(). " +
                "Fix: call TorchRuntime.Initialize() first (every workshop notebook does in its second cell), or remove that folder from LD_LIBRARY_PATH; " +
                $"`dotnet run --project tools/WorkshopKit.Cli -- doctor` lists the libtorch copies it finds. TorchSharp said: {failure.Message}");
            return sb.ToString();
        }
        string? dlError = null;
        foreach (var candidate in LibTorchSharpCandidates())
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
                $"Fix: reference TorchSharp-cpu (or a CUDA package) rather than plain TorchSharp, or set {LibTorchVariable} to the lib folder of a PyTorch installation.");
        }
        else if (dlError is not null)
        {
            sb.Append($"Cause reported by the system loader: {dlError.Trim()}");
        }
        else
        {
            sb.Append($"TorchSharp said: {failure.Message} " +
                $"Fix: check that exactly one TorchSharp-cpu / TorchSharp-cuda-* package is referenced, or set {LibTorchVariable}; run `dotnet run --project tools/WorkshopKit.Cli -- doctor` for a full report.");
        }
        return sb.ToString();
    }
}
