namespace WorkshopKit.Cli;

/// <summary>
/// A room pack (or, while one is built offline, the NuGet cache) lacks packages an attendee on a platform needs. The message
/// names each package, the platform and both fixes, because NuGet's own error, seen by an attendee on a laptop without
/// internet, does not say where the package should have come from.
/// </summary>
internal sealed class RoomPackMissingException(string rid, IReadOnlyList<string> packages, string where)
    : CliException($"missing for {rid}: {string.Join(", ", packages)} ({where}). " +
        "Fix: build the pack on a machine with internet (`dotnet run --project tools/WorkshopKit.Cli -- room-pack <folder> --platform " + rid + "` fetches what the NuGet cache lacks), " +
        "or, offline, first fill the cache with `room-pack --prefetch --platform " + rid + "` where there is internet.")
{
    /// <summary>The missing packages, as <c>id version</c> (version omitted where NuGet did not say it).</summary>
    public IReadOnlyList<string> Packages { get; } = packages;
}
