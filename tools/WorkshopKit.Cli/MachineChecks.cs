using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using WorkshopKit.Runtime;

namespace WorkshopKit.Cli;

/// <summary>
/// doctor's checks of what an attendee's machine needs before any package arrives (issue 25): a glibc at least as new as
/// the newest symbol version libtorch's own libraries ask for (read from the files with <see cref="ElfVersionNeeds"/>, as the
/// dynamic loader would compare them), free disk for the packages, and where NuGet will get them: the room pack the clone
/// points at, or the internet. Each failure names its fix.
/// </summary>
internal static partial class MachineChecks
{
    /// <summary>
    /// Disk an attendee's NuGet cache holds on linux-x64 after installing from the pack and running notebooks 00 and 01 in
    /// dotnet-repl and Jupyter: 1.82 GB (1,816,106,284 bytes after notebook 00 in the offline rehearsal, 2026-12-07, 2-core
    /// AMD EPYC Zen 5 VM; README "What an attendee downloads"), rounded up with room for TorchSharp's native copy.
    /// </summary>
    public const long AttendeeCacheBytes = 2_000_000_000;

    /// <summary>TorchSharp's copy of the native libraries into its consolidated folder on a notebook's first tensor (about 480 MB on linux-x64).</summary>
    public const long ConsolidationBytes = 500_000_000;

    public static IReadOnlyList<RouteCheck> Run(string root)
    {
        var checks = new List<RouteCheck>();
        if (OperatingSystem.IsLinux()) checks.Add(GlibcCheck());
        checks.Add(DiskCheck());
        checks.Add(SourceCheck(root));
        return checks;
    }

    /// <summary>
    /// The newest GLIBC_x.y that libtorch's own libraries require, and the one TorchSharp's binding (libLibTorchSharp.so)
    /// requires, against the versions the host's glibc defines. Measured 2026-12-07: libtorch 2.10's libc10.so and
    /// libtorch_cpu.so need GLIBC_2.29, TorchSharp 0.107.0's binding GLIBC_2.34 (Debian 11's 2.31 is too old for it).
    /// </summary>
    public static RouteCheck GlibcCheck()
    {
        var files = LibTorchFiles();
        string? binding = TorchRuntime.LibTorchSharpCandidates().FirstOrDefault(File.Exists);
        if (files.Count == 0)
            return new("glibc", RouteStatus.Warn, "libtorch is not restored yet, so its glibc requirement cannot be read (libtorch 2.10 asks for GLIBC_2.29, TorchSharp 0.107.0's binding for GLIBC_2.34)", "dotnet build lib/WorkshopKit, then doctor again");
        var own = NewestGlibc(files);
        var bound = binding is null ? null : NewestGlibc([binding]);
        if (own is null) return new("glibc", RouteStatus.Warn, $"read {files.Count} libtorch libraries but found no GLIBC_ requirement in them", null);
        string? libc = MappedLibc();
        var host = libc is null ? null : ElfVersionNeeds.ReadDefinitions(libc).Select(GlibcVersion).Where(v => v is not null).Max();
        string need = $"libtorch's own libraries need GLIBC_{own.Value.Version} (the newest symbol version, {own.Value.File})" +
            (bound is null ? "" : $"; TorchSharp's binding {bound.Value.File} needs GLIBC_{bound.Value.Version}");
        var required = bound is not null && bound.Value.Version > own.Value.Version ? bound.Value.Version : own.Value.Version;
        if (host is null) return new("glibc", RouteStatus.Warn, $"{need}; this system's glibc could not be read", null);
        return host >= required
            ? new("glibc", RouteStatus.Ok, $"glibc {host} ({libc}) >= {required}: {need}")
            : new("glibc", RouteStatus.Fail, $"glibc {host} ({libc}) is older than {required}: {need}; TorchSharp cannot load here",
                $"a Linux with glibc {required} or newer (for 2.34: Debian 12+, Ubuntu 22.04+, Fedora 35+, RHEL/Rocky 9+), a container of one, or the twins and notebooks on another machine");
    }

    private static (Version Version, string File)? NewestGlibc(IEnumerable<string> files)
    {
        (Version Version, string File)? newest = null;
        foreach (var file in files)
        {
            IReadOnlyList<ElfVersionNeed> needs;
            try { needs = ElfVersionNeeds.Read(file); }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException) { continue; }
            foreach (var n in needs)
                if (GlibcVersion(n.Version) is { } v && !n.IsWeak && (newest is null || v > newest.Value.Version)) newest = (v, Path.GetFileName(file));
        }
        return newest;
    }

    /// <summary>Free space where the NuGet cache lives, against what the packages still to come will take.</summary>
    public static RouteCheck DiskCheck()
    {
        string cache = TorchRuntime.NuGetPackagesFolder();
        string existing = cache;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        long free;
        try { free = new DriveInfo(existing).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return new("disk", RouteStatus.Warn, $"could not read the free space of {existing}: {e.Message}", null);
        }
        string rid = RuntimeInformation.RuntimeIdentifier;
        bool libtorch = Directory.Exists(Path.Combine(cache, "libtorch-cpu-" + rid)) || Directory.Exists(Path.Combine(cache, "libtorch-cpu"));
        bool consolidated = Directory.Exists(Path.Combine(cache, "torchsharp")) &&
            Directory.GetDirectories(Path.Combine(cache, "torchsharp")).Any(v => Directory.Exists(Path.Combine(v, "lib", "net8.0", "cpu")));
        long needed = !libtorch ? AttendeeCacheBytes : !consolidated ? ConsolidationBytes : 0;
        string what = !libtorch ? "the workshop's packages (about 2 GB in the NuGet cache, measured on linux-x64)"
            : !consolidated ? "TorchSharp's copy of libtorch on a notebook's first tensor (about 0.5 GB)" : "nothing more for the packages";
        string found = $"{Gb(free)} GB free for the NuGet cache ({cache}); still to come: {what}";
        if (free < needed)
            return new("disk", RouteStatus.Fail, found, $"free {Gb(needed - free)} GB more on that drive, or put the NuGet cache on a larger one: export NUGET_PACKAGES=/path/on/larger/drive (then rebuild)");
        if (free < needed + 1_000_000_000)
            return new("disk", RouteStatus.Warn, found + "; less than 1 GB to spare", "free some space: builds, executed notebooks and the HTML book need a few hundred MB more");
        return new("disk", RouteStatus.Ok, found);
    }

    /// <summary>Where NuGet will get packages for this clone: a room pack (the clone's nuget.config written by install.sh) or the internet.</summary>
    public static RouteCheck SourceCheck(string root)
    {
        string? config = new[] { "nuget.config", "NuGet.config", "NuGet.Config" }.Select(n => Path.Combine(root, n)).FirstOrDefault(File.Exists);
        bool restored = File.Exists(Path.Combine(root, "lib", "WorkshopKit", "obj", "project.assets.json"));
        var sources = new List<string>();
        bool cleared = false;
        if (config is not null)
        {
            try
            {
                var element = XDocument.Load(config).Root?.Element("packageSources");
                cleared = element?.Element("clear") is not null;
                sources.AddRange(element?.Elements("add").Select(a => (string?)a.Attribute("value") ?? "") ?? []);
            }
            catch (System.Xml.XmlException e)
            {
                return new("package source", RouteStatus.Fail, $"{config} is not valid XML: {e.Message}", $"delete {config} (then packages come from nuget.org) or run the room pack's install again");
            }
        }
        var local = sources.Where(s => !s.StartsWith("http", StringComparison.OrdinalIgnoreCase)).ToList();
        if (local.Count > 0)
        {
            string feed = local[0];
            bool present = Directory.Exists(feed);
            int count = present ? Directory.GetFiles(feed, "*.nupkg").Length : 0;
            string only = cleared && local.Count == sources.Count ? "only" : "first";
            if (present) return new("package source", RouteStatus.Ok, $"room pack: {feed} ({count} packages), {only} source of this clone ({Path.GetFileName(config)}); no internet needed");
            return restored
                ? new("package source", RouteStatus.Warn, $"the room pack {feed} named in {config} is not there (stick unplugged?); the library is restored already, so only a new restore needs it", $"plug the pack in again, or delete {config} to use nuget.org")
                : new("package source", RouteStatus.Fail, $"the room pack {feed} named in {config} is not there (stick unplugged?), and the library is not restored yet", $"plug the pack in and run its install.sh again, or delete {config} to use nuget.org");
        }
        string cache = TorchRuntime.NuGetPackagesFolder();
        bool libtorch = Directory.Exists(Path.Combine(cache, "libtorch-cpu-" + RuntimeInformation.RuntimeIdentifier));
        return restored && libtorch
            ? new("package source", RouteStatus.Ok, "internet (nuget.org, this machine's NuGet config); the library's packages are in the NuGet cache already, so nothing is left to download for it")
            : new("package source", RouteStatus.Warn, "internet (nuget.org, this machine's NuGet config): the first build downloads about 144 MB for the library on linux-x64 and the first `dotnet tool restore` 130 MB (README, \"What an attendee downloads\")",
                "on a slow room network, install from the instructor's room pack instead: bash <pack>/install.sh (docs/room-pack.md)");
    }

    /// <summary>libtorch's own libraries, wherever this machine has them (the app folder or the NuGet cache).</summary>
    private static List<string> LibTorchFiles()
    {
        var folders = new List<string>();
        if (TorchRuntime.BundledLibTorchFolder() is { } own) folders.Add(own);
        string cache = TorchRuntime.NuGetPackagesFolder();
        string rid = RuntimeInformation.RuntimeIdentifier;
        if (Directory.Exists(Path.Combine(cache, "libtorch-cpu-" + rid)))
            folders.AddRange(Directory.GetDirectories(Path.Combine(cache, "libtorch-cpu-" + rid)).Select(v => Path.Combine(v, "runtimes", rid, "native")).Where(Directory.Exists));
        return folders.Distinct(StringComparer.Ordinal)
            .SelectMany(f => Directory.GetFiles(f, "lib*.so*"))
            .Where(f => LibTorchFile().IsMatch(Path.GetFileName(f)))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The C library this process runs on (from /proc/self/maps): the one libtorch would be loaded against.</summary>
    private static string? MappedLibc()
    {
        if (!File.Exists("/proc/self/maps")) return null;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && Path.GetFileName(line[slash..].Trim()) is "libc.so.6") return line[slash..].Trim();
        }
        return null;
    }

    private static Version? GlibcVersion(string versionName)
    {
        var m = GlibcName().Match(versionName);
        return m.Success ? Version.Parse(m.Groups[1].Value.Count(c => c == '.') == 0 ? m.Groups[1].Value + ".0" : m.Groups[1].Value) : null;
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("F1", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^GLIBC_(\d+(?:\.\d+){0,2})$")]
    private static partial Regex GlibcName();

    // libtorch's core and its bundled OpenMP: libc10, libtorch, libtorch_cpu, libtorch_global_deps, libgomp-<hash>.
    [GeneratedRegex(@"^lib(c10|torch|torch_cpu|torch_global_deps|gomp-[0-9a-f]+)\.so")]
    private static partial Regex LibTorchFile();
}
