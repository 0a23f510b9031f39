using System.Diagnostics;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkshopKit.Cli;

/// <summary>
/// Finds out, with NuGet itself, which packages an attendee on one platform restores: the library, the runner and the
/// command-line tool (one restore of WorkshopKit.Cli walks all three), the notebooks' <c>#r "nuget:"</c> packages (as the
/// kernel restores them, with and without a runtime identifier, unpruned), and the kernel and dotnet-repl tools. It restores
/// a scratch copy of the project files (no sources are needed to restore), so the repository's obj/ folders stay untouched,
/// and reads the packages from the assets files NuGet writes. Building a pack and checking one are the same restore with
/// different sources: the NuGet cache (and nuget.org when online) versus only the pack's feed.
/// </summary>
internal sealed partial class RoomPackRestore : IDisposable
{
    private static readonly string[] KitProjects = ["lib/WorkshopKit/WorkshopKit.csproj", "tools/WorkshopKit.Runner/WorkshopKit.Runner.csproj", "tools/WorkshopKit.Cli/WorkshopKit.Cli.csproj"];
    private readonly string scratch;

    private RoomPackRestore(string scratch, IReadOnlyList<RoomPackPackage> notebookPackages, IReadOnlyList<RoomPackPackage> tools)
    {
        this.scratch = scratch;
        NotebookPackages = notebookPackages;
        Tools = tools;
    }

    /// <summary>The packages the notebooks name in <c>#r "nuget: id, version"</c> lines.</summary>
    public IReadOnlyList<RoomPackPackage> NotebookPackages { get; }

    /// <summary>The tools of .config/dotnet-tools.json (the kernel and dotnet-repl).</summary>
    public IReadOnlyList<RoomPackPackage> Tools { get; }

    /// <summary>Copies the project files of <paramref name="repoRoot"/> into a scratch folder and writes the extra project.</summary>
    public static RoomPackRestore Create(string repoRoot)
    {
        string scratch = Directory.CreateTempSubdirectory("workshopkit-roompack-").FullName;
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }.Concat(KitProjects))
        {
            string source = Path.Combine(repoRoot, file);
            if (!File.Exists(source)) throw new CliException($"{source} is missing; a room pack is built from a complete WorkshopKit checkout (git checkout {file}).");
            string target = Path.Combine(scratch, "kit", file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        var notebookPackages = ReadNotebookPackages(repoRoot);
        var tools = ReadTools(repoRoot);
        // The extra project sits outside kit/ with empty Directory.*.props of its own: no central versions and none of the
        // kit's SkiaSharp pruning, like the kernel's own restore project (a plain net10.0 project; .NET 10's default pruning
        // of packages the framework provides, e.g. System.Memory, applies to both).
        string extra = Path.Combine(scratch, "extra");
        Directory.CreateDirectory(extra);
        File.WriteAllText(Path.Combine(extra, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(extra, "Directory.Packages.props"), "<Project />\n");
        File.Copy(Path.Combine(repoRoot, "global.json"), Path.Combine(extra, "global.json"));
        var project = new StringBuilder("""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>

            """);
        foreach (var p in notebookPackages) project.Append($"    <PackageReference Include=\"{SecurityElement.Escape(p.Id)}\" Version=\"[{SecurityElement.Escape(p.Version)}]\" />\n");
        foreach (var t in tools) project.Append($"    <PackageDownload Include=\"{SecurityElement.Escape(t.Id)}\" Version=\"[{SecurityElement.Escape(t.Version)}]\" />\n");
        project.Append("  </ItemGroup>\n</Project>\n");
        File.WriteAllText(Path.Combine(extra, "extra.csproj"), project.ToString());
        return new RoomPackRestore(scratch, notebookPackages, tools);
    }

    /// <summary>
    /// Restores everything an attendee on <paramref name="rid"/> needs into <paramref name="packagesFolder"/> from the
    /// sources of <paramref name="configFile"/> and returns the packages, sorted by id.
    /// </summary>
    /// <exception cref="RoomPackMissingException">NuGet could not find some packages in the sources.</exception>
    public IReadOnlyList<RoomPackPackage> Restore(string rid, string packagesFolder, string configFile)
    {
        var found = new SortedDictionary<string, RoomPackPackage>(StringComparer.OrdinalIgnoreCase);
        // The attendee's build: the platform's runtime identifier decides the libtorch package (Directory.Build.props).
        // UseAppHost=false: the SDK on the attendee's machine carries its own apphost; restoring another platform's from
        // here would add a package the attendee never downloads.
        Run(Path.Combine(scratch, "kit", KitProjects[2]), packagesFolder, configFile, [$"-p:RuntimeIdentifier={rid}", "-p:UseAppHost=false"]);
        foreach (var project in KitProjects) AddAssets(Path.Combine(scratch, "kit", Path.GetDirectoryName(project)!, "obj", "project.assets.json"), found);
        // The kernel's restore of the notebooks' #r packages: with this platform's identifier and without one.
        foreach (var args in new[] { new[] { $"-p:RuntimeIdentifier={rid}" }, [] })
        {
            Run(Path.Combine(scratch, "extra", "extra.csproj"), packagesFolder, configFile, args);
            AddAssets(Path.Combine(scratch, "extra", "obj", "project.assets.json"), found);
        }
        foreach (var tool in Tools) found[tool.Id] = tool;
        var absent = found.Values.Where(p => !File.Exists(p.PathIn(packagesFolder))).ToList();
        if (absent.Count > 0) throw new RoomPackMissingException(rid, absent.Select(p => $"{p.Id} {p.Version}").ToList(), $"NuGet restored them, but no .nupkg is in {packagesFolder}");
        return found.Values.ToList();
    }

    /// <summary>Writes a NuGet.Config that lists exactly <paramref name="sources"/> (nothing inherited from the machine).</summary>
    public string WriteConfig(string name, IEnumerable<string> sources)
    {
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <clear />\n");
        int i = 0;
        foreach (var s in sources) sb.Append($"    <add key=\"source{i++}\" value=\"{SecurityElement.Escape(s)}\" />\n");
        sb.Append("  </packageSources>\n</configuration>\n");
        string path = Path.Combine(scratch, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(scratch, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The <c>#r "nuget: id, version"</c> packages of every code cell of every notebook (each must name its version).</summary>
    public static IReadOnlyList<RoomPackPackage> ReadNotebookPackages(string repoRoot)
    {
        var found = new SortedDictionary<string, RoomPackPackage>(StringComparer.OrdinalIgnoreCase);
        string folder = Path.Combine(repoRoot, "notebooks");
        foreach (var notebook in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToArray() : [])
        {
            if (JsonNode.Parse(File.ReadAllText(notebook))?["cells"] is not JsonArray cells) continue;
            foreach (var cell in cells)
            {
                if (cell?["cell_type"]?.GetValue<string>() != "code") continue;
                string source = cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => l?.GetValue<string>())) : cell["source"]?.GetValue<string>() ?? "";
                foreach (Match m in NugetReference().Matches(source))
                {
                    if (!m.Groups["version"].Success)
                        throw new CliException($"{Path.GetFileName(notebook)}: '{m.Value.Trim()}' names no version; a room pack (and every attendee) needs pinned versions. Fix: #r \"nuget: {m.Groups["id"].Value}, <version from Directory.Packages.props>\".");
                    found[m.Groups["id"].Value] = new RoomPackPackage(m.Groups["id"].Value, m.Groups["version"].Value);
                }
            }
        }
        return found.Values.ToList();
    }

    /// <summary>The tools pinned in .config/dotnet-tools.json.</summary>
    public static IReadOnlyList<RoomPackPackage> ReadTools(string repoRoot)
    {
        string manifest = Path.Combine(repoRoot, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest)) throw new CliException($"{manifest} is missing: the pack carries the tools it pins (the kernel and dotnet-repl). Fix: git checkout .config/dotnet-tools.json");
        var tools = JsonNode.Parse(File.ReadAllText(manifest))?["tools"] as JsonObject ?? [];
        return tools.Select(t => new RoomPackPackage(t.Key, t.Value?["version"]?.GetValue<string>()
            ?? throw new CliException($"{manifest}: tool {t.Key} has no version."))).ToList();
    }

    private static void AddAssets(string assetsFile, SortedDictionary<string, RoomPackPackage> found)
    {
        if (JsonNode.Parse(File.ReadAllText(assetsFile))?["libraries"] is not JsonObject libraries) return;
        foreach (var (key, value) in libraries)
        {
            if (value?["type"]?.GetValue<string>() != "package") continue;
            int slash = key.IndexOf('/', StringComparison.Ordinal);
            found[key[..slash]] = new RoomPackPackage(key[..slash], key[(slash + 1)..]);
        }
    }

    private static void Run(string project, string packagesFolder, string configFile, IEnumerable<string> properties)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "restore", project, "--packages", packagesFolder, "--configfile", configFile, "--force", "-nologo" }.Concat(properties)) start.ArgumentList.Add(a);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new CliException("could not start `dotnet restore`");
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        if (process.ExitCode == 0) return;
        var missing = MissingPackage().Matches(output).Select(m => m.Groups["id"].Value.TrimEnd('.') + (m.Groups["version"].Success ? " " + m.Groups["version"].Value : "")).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        string rid = properties.Select(p => p.StartsWith("-p:RuntimeIdentifier=", StringComparison.Ordinal) ? p["-p:RuntimeIdentifier=".Length..] : null).FirstOrDefault(p => p is not null) ?? "(no runtime identifier)";
        if (missing.Count > 0) throw new RoomPackMissingException(rid, missing, "restore of " + Path.GetFileName(project));
        var errors = output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Trim()).Distinct().Take(10);
        throw new CliException($"`dotnet restore {Path.GetFileName(project)}` for {rid} failed (exit {process.ExitCode}):\n  " + string.Join("\n  ", errors));
    }

    [GeneratedRegex(@"#r\s+""nuget:\s*(?<id>[^,""\s]+)\s*(?:,\s*(?<version>[^""\s]+))?\s*""")]
    private static partial Regex NugetReference();

    // NU1101 "Unable to find package X. No packages exist with this id in source(s): ..."; NU1102 "Unable to find package X
    // with version (>= 1.2.3)"; NU1103 (only prereleases). NuGet names the package; the pack's message repeats the name.
    [GeneratedRegex(@"NU110[123]: Unable to find package (?<id>[A-Za-z0-9_.\-]+)(?:\.? with version \((?:>= )?(?<version>[^ )]+))?")]
    private static partial Regex MissingPackage();
}
