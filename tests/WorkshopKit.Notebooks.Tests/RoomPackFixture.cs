namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// One room pack for linux-x64, win-x64 and osx-arm64, built once for <see cref="RoomPackTests"/> with the kit's own command,
/// <c>room-pack --offline</c>: from this machine's NuGet cache, without network (test.sh's prereqs fill the cache for all
/// three platforms with <c>room-pack --prefetch</c>).
/// </summary>
public sealed class RoomPackFixture : IDisposable
{
    public RoomPackFixture()
    {
        Folder = Directory.CreateTempSubdirectory("workshopkit-roompack-test-").FullName;
        Pack = Path.Combine(Folder, "pack");
        var (code, output, elapsed) = ProcessRun.Run("dotnet", [Cli, "room-pack", Pack, "--platform", "all", "--offline"], RepoRoot.Path, TimeSpan.FromMinutes(10));
        BuildLog = output;
        BuildTime = elapsed;
        if (code != 0) throw new InvalidOperationException($"room-pack --offline failed (exit {code}); if it names missing packages, run `bash tools/prereqs.sh` (it prefetches them) and try again:\n{output}");
    }

    /// <summary>The built command-line tool (the test project references it, so it is built first).</summary>
    public static string Cli => Path.Combine(RepoRoot.Path, "tools", "WorkshopKit.Cli", "bin", "Debug", "net10.0", "WorkshopKit.Cli.dll");

    /// <summary>A temporary folder for the pack and the rehearsals.</summary>
    public string Folder { get; }

    /// <summary>The pack.</summary>
    public string Pack { get; }

    /// <summary>What room-pack printed.</summary>
    public string BuildLog { get; }

    /// <summary>How long building the pack took.</summary>
    public TimeSpan BuildTime { get; }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
