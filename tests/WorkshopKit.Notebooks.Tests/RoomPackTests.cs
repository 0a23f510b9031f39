using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WorkshopKit.Cli;
using Xunit.Abstractions;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// The room pack (issue 25): built from the NuGet cache without network, installed by an attendee with the documented
/// command in a network namespace with no network (unshare -n, so root, as CI runs) and an empty NuGet cache, then
/// notebooks 00 and 01 run in dotnet-repl and 00 in Jupyter (Jupyter's kernel restores the same first cell from the pack;
/// NotebookClientTests runs 01 in Jupyter online, and a second 01 here would cost CI two minutes); the other platforms restore from the pack alone; a pack that lacks
/// a package fails naming it. Most of the time is the two clients running notebook 01 (times in the README).
/// </summary>
[Collection(RoomPackCollection.Name)]
public sealed partial class RoomPackTests(RoomPackFixture pack, ITestOutputHelper output) : IClassFixture<RoomPackFixture>
{
    [Fact]
    public void Attendee_installs_from_a_linux_pack_with_no_network_and_runs_notebooks_00_and_01_in_dotnet_repl_and_00_in_Jupyter()
    {
        RequireRoot();
        string work = Path.Combine(pack.Folder, "attendee");
        var (code, log, elapsed) = ProcessRun.Run("bash", [Path.Combine(RepoRoot.Path, "tools", "room-pack", "rehearse-offline.sh"), pack.Pack, work, RepoRoot.Path, "00-setup", "01-convolutional-layers"],
            RepoRoot.Path, TimeSpan.FromMinutes(20), new Dictionary<string, string> { ["REHEARSE_JUPYTER"] = "00-setup" });
        output.WriteLine($"pack built in {pack.BuildTime.TotalSeconds:F0} s:\n{pack.BuildLog}\nrehearsal ({elapsed.TotalSeconds:F0} s):\n{log}");

        Assert.True(code == 0, $"the offline rehearsal failed (exit {code}):\n{log}");
        Assert.Contains("rehearse: no network (unshare -n)", log, StringComparison.Ordinal);
        Assert.Contains("rehearse: OK", log, StringComparison.Ordinal);
        foreach (var (client, nb) in new[] { ("repl", "00-setup"), ("repl", "01-convolutional-layers"), ("jupyter", "00-setup") })
            {
                string executed = Path.Combine(work, "out", $"{client}-{nb}.ipynb");
                Assert.True(File.Exists(executed), $"{client} wrote no executed {nb}");
                var errors = Outputs(executed).Where(o => o["output_type"]?.GetValue<string>() == "error").Select(o => o.ToJsonString()).ToList();
                Assert.True(errors.Count == 0, $"{client} {nb}: " + string.Join("\n", errors));
                // A chart was drawn (plotly.js travels with the first chart's HTML: nothing comes from a CDN, there being no network).
                Assert.Contains(Outputs(executed), o => o["data"]?["text/html"] is not null && o.ToJsonString().Contains("plotly", StringComparison.OrdinalIgnoreCase));
            }
        // One platform's libtorch, from the pack: the attendee's empty cache now holds linux-x64's and no other.
        var libtorch = Directory.GetDirectories(Path.Combine(work, "home", ".nuget", "packages"), "libtorch*").Select(Path.GetFileName).ToList();
        Assert.Equal(["libtorch-cpu-linux-x64"], libtorch);
        // Every restore in the clone is pointed at the pack and only at it.
        string config = File.ReadAllText(Path.Combine(work, "kit", "nuget.config"));
        Assert.Contains("<clear />", config, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(pack.Pack, "feed"), config, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pack_alone_restores_win_x64_and_osx_arm64_with_no_network()
    {
        RequireRoot();
        var (code, log, _) = ProcessRun.Run("unshare", ["-n", "--", "dotnet", RoomPackFixture.Cli, "room-pack", "check", pack.Pack, "--platform", "win-x64,osx-arm64"], RepoRoot.Path, TimeSpan.FromMinutes(10));
        output.WriteLine(log);

        Assert.True(code == 0, $"room-pack check failed (exit {code}):\n{log}");
        Assert.Matches(@"win-x64: complete: \d+ packages restore from the pack alone", log);
        Assert.Matches(@"osx-arm64: complete: \d+ packages restore from the pack alone", log);
        // Each platform's list names its own libtorch and no other platform's.
        foreach (var rid in new[] { "linux-x64", "win-x64", "osx-arm64" })
        {
            var ids = File.ReadAllLines(Path.Combine(pack.Pack, "platforms", rid + ".txt")).Where(l => !l.StartsWith('#')).Select(l => l.Split(' ')[0]).ToList();
            Assert.Equal(["libtorch-cpu-" + rid], ids.Where(i => i.StartsWith("libtorch", StringComparison.Ordinal)));
            Assert.Contains("microsoft.dotnet-interactive", ids);
            Assert.Contains("dotnet-repl", ids);
            Assert.Contains("TorchSharp", ids);
        }
    }

    [Fact]
    public void A_pack_that_lacks_a_package_fails_with_a_message_that_names_it()
    {
        // A copy of the pack (hard links: no bytes copied) without linux-x64's libtorch.
        string broken = Path.Combine(pack.Folder, "broken");
        Assert.Equal(0, ProcessRun.Run("cp", ["-al", pack.Pack, broken], pack.Folder, TimeSpan.FromMinutes(1)).Code);
        File.Delete(Path.Combine(broken, "feed", "libtorch-cpu-linux-x64.2.10.0.nupkg"));

        // The attendee's command stops before it changes anything, naming the package.
        string kit = Path.Combine(pack.Folder, "never-created");
        var install = ProcessRun.Run("bash", [Path.Combine(broken, "install.sh"), kit], pack.Folder, TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, install.Code);
        Assert.Contains("the pack is incomplete for linux-x64: missing libtorch-cpu-linux-x64 2.10.0", install.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(kit));

        // The instructor's check names it too, and so does NuGet's restore from the pack when the list itself lost the line
        // (a hand-edited or older pack): that is the restore an attendee's build would do.
        var check = ProcessRun.Run("dotnet", [RoomPackFixture.Cli, "room-pack", "check", broken, "--platform", "linux-x64"], RepoRoot.Path, TimeSpan.FromMinutes(5));
        Assert.Equal(1, check.Code);
        Assert.Contains("linux-x64: MISSING OR DAMAGED", check.Output, StringComparison.Ordinal);
        Assert.Contains("libtorch-cpu-linux-x64 2.10.0", check.Output, StringComparison.Ordinal);

        string list = Path.Combine(broken, "platforms", "osx-arm64.txt");
        File.WriteAllLines(list, File.ReadAllLines(list).Where(l => !l.StartsWith("SkiaSharp.NativeAssets.macOS ", StringComparison.Ordinal)));
        File.Delete(Path.Combine(broken, "feed", "skiasharp.nativeassets.macos.2.88.6.nupkg"));
        var restore = ProcessRun.Run("dotnet", [RoomPackFixture.Cli, "room-pack", "check", broken, "--platform", "osx-arm64"], RepoRoot.Path, TimeSpan.FromMinutes(5));
        Assert.Equal(1, restore.Code);
        Assert.Contains("osx-arm64: INCOMPLETE: the pack lacks SkiaSharp.NativeAssets.macOS", Whitespace().Replace(restore.Output, " "), StringComparison.Ordinal);
    }

    [Fact]
    public void A_platform_without_libtorch_is_refused_naming_the_three()
    {
        var (code, log, _) = ProcessRun.Run("dotnet", [RoomPackFixture.Cli, "room-pack", Path.Combine(pack.Folder, "arm"), "--platform", "linux-arm64"], RepoRoot.Path, TimeSpan.FromMinutes(1));
        string text = Whitespace().Replace(log, " ");
        Assert.Equal(2, code);
        Assert.Contains("--platform 'linux-arm64' is not a platform a room pack can serve", text, StringComparison.Ordinal);
        Assert.Contains("linux-x64, win-x64, osx-arm64", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_compares_glibc_with_the_newest_version_libtorchs_own_libraries_require()
    {
        if (!OperatingSystem.IsLinux()) return; // glibc is Linux's; CI runs on Linux
        var check = MachineChecks.GlibcCheck();

        // Independently: binutils' readelf over the same libraries, and ldd's answer for the host.
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string native = Path.Combine(packages, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        Version Newest(string file) => Regex.Matches(ProcessRun.Run("readelf", ["-V", file], native, TimeSpan.FromMinutes(1)).Output, @"Name: GLIBC_(\d+\.\d+(?:\.\d+)?)")
            .Select(m => Version.Parse(m.Groups[1].Value)).Max()!;
        var needed = new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }.Select(f => Newest(Path.Combine(native, f))).Max()!;
        var binding = Newest(Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
        var host = Version.Parse(Regex.Match(ProcessRun.Run("ldd", ["--version"], native, TimeSpan.FromMinutes(1)).Output, @"(\d+\.\d+)\s*$", RegexOptions.Multiline).Groups[1].Value);
        var required = binding > needed ? binding : needed;

        Assert.Contains($"libtorch's own libraries need GLIBC_{needed} (the newest symbol version", check.Found, StringComparison.Ordinal);
        Assert.Contains($"libLibTorchSharp.so needs GLIBC_{binding}", check.Found, StringComparison.Ordinal);
        Assert.Contains($"glibc {host} ", check.Found, StringComparison.Ordinal);
        Assert.Equal(host >= required ? RouteStatus.Ok : RouteStatus.Fail, check.Status);
    }

    [Fact]
    public void Doctor_says_whether_the_room_pack_or_the_internet_will_be_used()
    {
        string root = Path.Combine(pack.Folder, "doctor-root");
        Directory.CreateDirectory(root);
        var internet = MachineChecks.SourceCheck(root);
        Assert.Contains("internet (nuget.org", internet.Found, StringComparison.Ordinal);

        string feed = Path.Combine(pack.Pack, "feed");
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"<configuration><packageSources><clear /><add key=\"workshopkit-room-pack\" value=\"{feed}\" /></packageSources></configuration>");
        var fromPack = MachineChecks.SourceCheck(root);
        Assert.Equal(RouteStatus.Ok, fromPack.Status);
        Assert.Contains($"room pack: {feed} ({Directory.GetFiles(feed, "*.nupkg").Length} packages), only source", fromPack.Found, StringComparison.Ordinal);

        // The stick was pulled before the library was restored: nothing can be installed, and the fix says both ways out.
        File.WriteAllText(Path.Combine(root, "nuget.config"), "<configuration><packageSources><clear /><add key=\"p\" value=\"/media/unplugged/pack/feed\" /></packageSources></configuration>");
        var unplugged = MachineChecks.SourceCheck(root);
        Assert.Equal(RouteStatus.Fail, unplugged.Status);
        Assert.Contains("/media/unplugged/pack/feed", unplugged.Found, StringComparison.Ordinal);
        Assert.Contains("delete", unplugged.Fix, StringComparison.Ordinal);

        var disk = MachineChecks.DiskCheck();
        Assert.Matches(@"^\d+\.\d GB free for the NuGet cache \(", disk.Found);
    }

    private static void RequireRoot()
    {
        // CI runs as root. Without root there is no network namespace, and a test that silently passed would prove nothing.
        if (!IsRoot())
            Assert.Fail("RoomPackTests needs root: the attendee's install runs in a network namespace without network (unshare -n), which an ordinary user cannot create. Fix: run the tests as root (as CI does), e.g. sudo -E bash test.sh");
    }

    private static bool IsRoot() => File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    private static IEnumerable<JsonNode> Outputs(string notebook) =>
        (JsonNode.Parse(File.ReadAllText(notebook))?["cells"] as JsonArray ?? [])
            .SelectMany(c => c?["outputs"] as JsonArray ?? []).OfType<JsonNode>();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
