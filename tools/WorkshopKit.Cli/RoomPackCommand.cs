using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkshopKit.Runtime;

namespace WorkshopKit.Cli;

/// <summary>
/// <c>room-pack</c>: a folder (USB stick, shared folder on the room's LAN) with every package an attendee on the chosen
/// platforms needs, so that thirty laptops install from it instead of pulling about 13 GB through one access point
/// (docs/room-pack.md). The packages are found by restoring a scratch copy of the kit's projects per platform (NuGet decides
/// the closure, not a hand-kept list) and copied out of the NuGet cache, so building a pack needs no network when the cache
/// holds them; online, NuGet fetches what it lacks.
/// <list type="bullet">
/// <item><c>room-pack &lt;folder&gt; [--platform linux-x64,win-x64,osx-arm64|all] [--offline]</c>: write or update a pack.</item>
/// <item><c>room-pack check &lt;folder&gt; [--platform ...]</c>: restore each platform from the pack alone into an empty folder
/// (what an attendee's machine does), and compare every file with the pack's checksums.</item>
/// <item><c>room-pack --prefetch [--platform ...]</c>: only fill this machine's NuGet cache (online), e.g. before building
/// packs offline.</item>
/// </list>
/// </summary>
internal static class RoomPackCommand
{
    private const string Usage = "room-pack <folder> [--platform linux-x64,win-x64,osx-arm64|all] [--offline] | room-pack check <folder> [--platform ...] | room-pack --prefetch [--platform ...]";
    private const string NuGetOrg = "https://api.nuget.org/v3/index.json";

    public static int Execute(string[] args)
    {
        string? folder = null;
        string platforms = "all";
        bool offline = false, check = false, prefetch = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--platform" when i + 1 < args.Length: platforms = args[++i]; break;
                case "--offline": offline = true; break;
                case "--prefetch": prefetch = true; break;
                case "check" when i == 0: check = true; break;
                default:
                    if (args[i].StartsWith('-') || folder is not null) throw new CliException($"room-pack: unexpected '{args[i]}'. Usage: {Usage}");
                    folder = args[i];
                    break;
            }
        }
        var rids = RoomPackPlatforms.Parse(platforms);
        if (prefetch)
        {
            if (folder is not null || offline || check) throw new CliException($"room-pack --prefetch takes only --platform. Usage: {Usage}");
            return Prefetch(rids);
        }
        if (folder is null) throw new CliException($"room-pack needs a folder. Usage: {Usage}");
        folder = Path.GetFullPath(folder);
        return check ? Check(folder, args.Contains("--platform") ? rids : null) : Build(folder, rids, offline);
    }

    private static int Prefetch(IReadOnlyList<string> rids)
    {
        using var restore = RoomPackRestore.Create(Repo.Root);
        string cache = TorchRuntime.NuGetPackagesFolder();
        string config = restore.WriteConfig("nuget.config", [NuGetOrg]);
        foreach (var rid in rids)
        {
            var packages = restore.Restore(rid, cache, config);
            Console.WriteLine($"{rid}: {packages.Count} packages in {cache}");
        }
        return 0;
    }

    private static int Build(string folder, IReadOnlyList<string> rids, bool offline)
    {
        var timer = Stopwatch.StartNew();
        string cache = TorchRuntime.NuGetPackagesFolder();
        using var restore = RoomPackRestore.Create(Repo.Root);
        // The cache as a local source first: what it holds is copied, not downloaded. Offline, it is the only source.
        Directory.CreateDirectory(cache);
        string config = restore.WriteConfig("nuget.config", offline ? [cache] : [cache, NuGetOrg]);
        string feed = Path.Combine(folder, "feed");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(Path.Combine(folder, "platforms"));
        AtomicFile.DeleteLeftovers(feed);

        var all = new SortedDictionary<string, RoomPackPackage>(StringComparer.Ordinal);
        var perPlatform = new SortedDictionary<string, IReadOnlyList<RoomPackPackage>>(StringComparer.Ordinal);
        foreach (var rid in rids)
        {
            var packages = restore.Restore(rid, cache, config);
            perPlatform[rid] = packages;
            foreach (var p in packages) all[p.FileName] = p;
            Console.WriteLine($"{rid}: {packages.Count} packages, {Mb(packages.Sum(p => new FileInfo(p.PathIn(cache)).Length))} MB");
        }

        int copied = 0;
        foreach (var p in all.Values)
        {
            string source = p.PathIn(cache), target = Path.Combine(feed, p.FileName);
            if (File.Exists(target) && new FileInfo(target).Length == new FileInfo(source).Length) continue;
            AtomicFile.Write(target, s => { using var input = File.OpenRead(source); input.CopyTo(s); });
            copied++;
        }
        foreach (var (rid, packages) in perPlatform)
            AtomicFile.WriteAllText(Path.Combine(folder, "platforms", rid + ".txt"),
                $"# Packages an attendee on {rid} restores (id version file in feed/); written by room-pack.\n" + string.Join("", packages.Select(p => p + "\n")));

        // The manifest keeps every platform the pack served before (a pack can be extended one platform at a time).
        string manifestPath = Path.Combine(folder, "room-pack.json");
        var files = new JsonArray();
        foreach (var file in Directory.GetFiles(feed, "*.nupkg").Order(StringComparer.Ordinal))
            files.Add(new JsonObject { ["file"] = Path.GetFileName(file), ["bytes"] = new FileInfo(file).Length, ["sha512"] = Sha512(file) });
        var platformsNode = new JsonObject();
        foreach (var rid in Directory.GetFiles(Path.Combine(folder, "platforms"), "*.txt").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
        {
            var listed = ReadList(folder, rid!);
            platformsNode[rid!] = new JsonObject { ["packages"] = listed.Count, ["bytes"] = listed.Sum(p => FileLength(Path.Combine(feed, p.FileName))) };
        }
        var (commit, dirty) = GitState(Repo.Root);
        var manifest = new JsonObject
        {
            ["kit"] = new JsonObject { ["commit"] = commit, ["uncommittedChanges"] = dirty },
            ["created"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["platforms"] = platformsNode,
            ["packages"] = files,
        };
        AtomicFile.WriteAllText(manifestPath, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        // The attendee side: install scripts and the instructions, from tools/room-pack/.
        foreach (var name in new[] { "install.sh", "install.ps1", "README.txt" })
            AtomicFile.WriteAllText(Path.Combine(folder, name), File.ReadAllText(Path.Combine(Repo.Root, "tools", "room-pack", name)));
        Directory.CreateDirectory(Path.Combine(folder, "sdk"));
        Directory.CreateDirectory(Path.Combine(folder, "jupyter"));
        bool bundled = WriteBundle(folder);

        long total = files.Sum(f => f!["bytes"]!.GetValue<long>());
        Console.WriteLine($"room pack {folder}: {files.Count} packages, {Mb(total)} MB for {string.Join(", ", platformsNode.Select(p => p.Key))} ({copied} copied now, {timer.Elapsed.TotalSeconds:F0} s)");
        if (bundled) Console.WriteLine($"  workshopkit.bundle: the kit at {commit}{(dirty ? " (uncommitted changes are NOT in it: commit them and run room-pack again)" : "")}");
        Console.WriteLine("  add the .NET SDK installers to sdk/ and, if you want, Python wheels for Jupyter to jupyter/ (docs/room-pack.md)");
        Console.WriteLine($"  attendees: bash {Path.Combine(folder, "install.sh")}   (Windows: powershell -ExecutionPolicy Bypass -File {Path.Combine(folder, "install.ps1")})");
        return 0;
    }

    private static int Check(string folder, IReadOnlyList<string>? rids)
    {
        string feed = Path.Combine(folder, "feed");
        if (!File.Exists(Path.Combine(folder, "room-pack.json")) || !Directory.Exists(feed))
            throw new CliException($"{folder} is not a room pack (no room-pack.json or feed/). Fix: dotnet run --project tools/WorkshopKit.Cli -- room-pack {folder}");
        var served = Directory.GetFiles(Path.Combine(folder, "platforms"), "*.txt").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
        rids ??= served;
        foreach (var rid in rids.Where(r => !served.Contains(r)))
            throw new CliException($"the pack serves {string.Join(", ", served)}, not {rid}. Fix: room-pack {folder} --platform {rid}");

        // Every file the manifest lists must be there with the bytes it had (a copy to a USB stick can be cut short).
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "room-pack.json")))!;
        var sums = (manifest["packages"] as JsonArray ?? []).ToDictionary(p => p!["file"]!.GetValue<string>(), p => p!["sha512"]!.GetValue<string>(), StringComparer.Ordinal);
        bool ok = true;
        using var restore = RoomPackRestore.Create(Repo.Root);
        string config = restore.WriteConfig("pack.config", [feed]);
        // What an attendee's machine does: restore from the pack alone, into a packages folder that starts empty. One folder
        // for all platforms checked: what they share is unpacked once, and only the pack can fill it either way.
        string empty = Directory.CreateTempSubdirectory("workshopkit-roompack-check-").FullName;
        try
        {
            foreach (var rid in rids) ok &= CheckPlatform(folder, rid, feed, sums, restore, config, empty);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
        return ok ? 0 : 1;
    }

    private static bool CheckPlatform(string folder, string rid, string feed, Dictionary<string, string> sums, RoomPackRestore restore, string config, string packages)
    {
        {
            var timer = Stopwatch.StartNew();
            var bad = ReadList(folder, rid).Where(p => !File.Exists(Path.Combine(feed, p.FileName)) || (sums.TryGetValue(p.FileName, out var sum) && sum != Sha512(Path.Combine(feed, p.FileName))))
                .Select(p => $"{p.Id} {p.Version}").ToList();
            if (bad.Count > 0)
            {
                Console.WriteLine($"{rid}: MISSING OR DAMAGED in {feed}: {string.Join(", ", bad)}. Fix: copy the pack again, or rebuild it: room-pack {folder} --platform {rid}");
                return false;
            }
            try
            {
                var restored = restore.Restore(rid, packages, config);
                long download = restored.Sum(p => FileLength(Path.Combine(feed, p.FileName)));
                long disk = restored.Sum(p => FolderBytes(Path.GetDirectoryName(p.PathIn(packages))!));
                Console.WriteLine($"{rid}: complete: {restored.Count} packages restore from the pack alone: {Mb(download)} MB of packages, {Mb(disk)} MB unpacked in a NuGet cache ({timer.Elapsed.TotalSeconds:F0} s)");
                return true;
            }
            catch (RoomPackMissingException e)
            {
                Console.WriteLine($"{rid}: INCOMPLETE: the pack lacks {string.Join(", ", e.Packages)}. Fix: room-pack {folder} --platform {rid} (on a machine whose NuGet cache or internet has them)");
                return false;
            }
        }
    }

    private static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    private static IReadOnlyList<RoomPackPackage> ReadList(string folder, string rid) =>
        File.ReadAllLines(Path.Combine(folder, "platforms", rid + ".txt"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => f.Length == 3 ? new RoomPackPackage(f[0], f[1]) : throw new CliException($"{Path.Combine(folder, "platforms", rid + ".txt")}: a line is not 'id version file': {string.Join(' ', f)}"))
            .ToList();

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

    private static string Sha512(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToBase64String(SHA512.HashData(stream));
    }

    private static (string Commit, bool Dirty) GitState(string root)
    {
        var (code, output) = Git(root, "rev-parse", "HEAD");
        if (code != 0) return ("unknown (not a git checkout)", false);
        var (_, status) = Git(root, "status", "--porcelain", "--untracked-files=no");
        return (output.Trim(), status.Trim().Length > 0);
    }

    /// <summary>Writes workshopkit.bundle (the kit's committed history, for attendees who have no clone yet): `git clone pack/workshopkit.bundle`.</summary>
    private static bool WriteBundle(string folder)
    {
        string target = Path.Combine(folder, "workshopkit.bundle");
        string temporary = Path.Combine(folder, $".workshopkit.bundle.{Guid.NewGuid():N}.tmp");
        var (code, output) = Git(Repo.Root, "bundle", "create", temporary, "HEAD");
        if (code != 0)
        {
            File.Delete(temporary);
            Console.WriteLine($"  no workshopkit.bundle: git bundle failed ({output.Trim()}); attendees then need a clone of the kit from elsewhere");
            return false;
        }
        File.Move(temporary, target, overwrite: true);
        return true;
    }

    private static (int Code, string Output) Git(string root, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            var err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output + err.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "git not found: " + e.Message);
        }
    }
}
