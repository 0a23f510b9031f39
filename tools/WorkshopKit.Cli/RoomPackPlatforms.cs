namespace WorkshopKit.Cli;

/// <summary>
/// The platforms a room pack can serve: the three for which TorchSharp 0.107.0 ships a CPU libtorch package
/// (libtorch-cpu-linux-x64, -win-x64, -osx-arm64). Anything else is refused with the list, because NuGet's own answer
/// ("package libtorch-cpu-linux-arm64 not found") does not say that such a package never existed.
/// </summary>
internal static class RoomPackPlatforms
{
    /// <summary>The runtime identifiers, in the order packs list them.</summary>
    public static IReadOnlyList<string> All { get; } = ["linux-x64", "win-x64", "osx-arm64"];

    /// <summary>Parses a comma-separated list such as <c>linux-x64,win-x64</c>; <c>all</c> means every platform.</summary>
    /// <exception cref="CliException">An entry is not one of <see cref="All"/>, or the list is empty.</exception>
    public static IReadOnlyList<string> Parse(string list)
    {
        if (list.Trim() == "all") return All;
        var rids = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (rids.Count == 0) throw new CliException($"--platform needs at least one of {string.Join(", ", All)} (comma-separated) or 'all'.");
        foreach (var rid in rids)
            if (!All.Contains(rid))
                throw new CliException($"--platform '{rid}' is not a platform a room pack can serve: TorchSharp 0.107.0 ships a CPU libtorch for {string.Join(", ", All)} only. Fix: --platform {string.Join(",", All)} (or a subset).");
        return rids;
    }
}
