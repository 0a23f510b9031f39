namespace WorkshopKit.Cli;

/// <summary>One NuGet package a room pack carries.</summary>
/// <param name="Id">The package id as NuGet resolved it, e.g. <c>libtorch-cpu-linux-x64</c>.</param>
/// <param name="Version">The resolved version, e.g. <c>2.10.0</c>.</param>
internal sealed record RoomPackPackage(string Id, string Version)
{
    /// <summary>The file name in the pack's flat feed and in the NuGet cache (lower case, as NuGet writes it).</summary>
    public string FileName => $"{Id.ToLowerInvariant()}.{Version.ToLowerInvariant()}.nupkg";

    /// <summary>Where NuGet keeps the package in a global packages folder (<c>id/version/id.version.nupkg</c>, lower case).</summary>
    public string PathIn(string packagesFolder) => Path.Combine(packagesFolder, Id.ToLowerInvariant(), Version.ToLowerInvariant(), FileName);

    /// <summary>The line of a pack's <c>platforms/&lt;rid&gt;.txt</c>: id, version and file name, separated by spaces.</summary>
    public override string ToString() => $"{Id} {Version} {FileName}";
}
