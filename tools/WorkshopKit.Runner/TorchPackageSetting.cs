using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkshopKit.Runner;

/// <summary>Where one notebook's first code cell points: the TorchSharp package it references (null when it references none).</summary>
/// <param name="NotebookPath">The notebook file.</param>
/// <param name="Package">The package named by its <c>#r "nuget: TorchSharp-..."</c> line, or null.</param>
public sealed record NotebookTorchReference(string NotebookPath, string? Package);

/// <summary>
/// The GPU switch. The single source of truth is the <c>TorchSharpPackage</c> property in Directory.Build.props (it
/// decides what the library, tests and tools build against); notebooks cannot read MSBuild properties, so their first
/// cell names the package again. This class reads and changes both, and says whether they agree.
/// </summary>
public static partial class TorchPackageSetting
{
    /// <summary>
    /// The values of the switch. <c>TorchSharp</c> (the default): TorchSharp, with the CPU libtorch of the platform being
    /// built added by Directory.Build.props (one platform's, not three). <c>TorchSharp-cpu</c>: libtorch for all three
    /// platforms. The CUDA packages bundle CUDA's libtorch.
    /// </summary>
    public static IReadOnlyList<string> KnownPackages { get; } = ["TorchSharp", "TorchSharp-cpu", "TorchSharp-cuda-windows", "TorchSharp-cuda-linux"];

    /// <summary>Reads the <c>TorchSharpPackage</c> property from the Directory.Build.props of <paramref name="repoRoot"/>.</summary>
    /// <exception cref="InvalidDataException">The property is missing.</exception>
    public static string ReadBuildProperty(string repoRoot)
    {
        string path = BuildProps(repoRoot);
        var match = PropertyElement().Match(File.ReadAllText(path));
        if (!match.Success) throw new InvalidDataException($"{path} has no <TorchSharpPackage> property; add one naming {string.Join(", ", KnownPackages)}.");
        return match.Groups["value"].Value.Trim();
    }

    /// <summary>The TorchSharp package referenced by the first code cell of the notebook at <paramref name="notebookPath"/>.</summary>
    public static NotebookTorchReference ReadNotebook(string notebookPath)
    {
        string? source = FirstCodeCellSource(JsonNode.Parse(File.ReadAllText(notebookPath)));
        var match = source is null ? Match.Empty : NugetLine().Match(source);
        return new NotebookTorchReference(notebookPath, match.Success ? match.Groups["package"].Value : null);
    }

    /// <summary>The notebooks of the repository (notebooks/*.ipynb, sorted by name).</summary>
    public static IReadOnlyList<string> Notebooks(string repoRoot) =>
        Directory.Exists(Path.Combine(repoRoot, "notebooks"))
            ? Directory.GetFiles(Path.Combine(repoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Every notebook whose first code cell references a TorchSharp package other than <paramref name="expected"/> (a notebook without TorchSharp is fine).</summary>
    public static IReadOnlyList<NotebookTorchReference> Disagreements(string repoRoot, string expected) =>
        Notebooks(repoRoot).Select(ReadNotebook).Where(r => r.Package is not null && r.Package != expected).ToList();

    /// <summary>Sets the property in Directory.Build.props and rewrites every notebook's <c>#r "nuget: TorchSharp-..."</c> line to <paramref name="package"/>.</summary>
    /// <returns>The files that changed.</returns>
    /// <exception cref="ArgumentException"><paramref name="package"/> is not one of <see cref="KnownPackages"/>.</exception>
    public static IReadOnlyList<string> Apply(string repoRoot, string package)
    {
        if (!KnownPackages.Contains(package))
            throw new ArgumentException($"'{package}' is not a TorchSharp package WorkshopKit supports; use one of {string.Join(", ", KnownPackages)}.", nameof(package));
        var changed = new List<string>();
        string props = BuildProps(repoRoot);
        string text = File.ReadAllText(props);
        if (!PropertyElement().IsMatch(text)) throw new InvalidDataException($"{props} has no <TorchSharpPackage> property to change.");
        string updated = PropertyElement().Replace(text, m => m.Value.Replace(">" + m.Groups["value"].Value + "<", ">" + package + "<", StringComparison.Ordinal), 1);
        if (updated != text) { AtomicFile.WriteText(props, updated); changed.Add(props); }

        foreach (var notebook in Notebooks(repoRoot))
        {
            var current = ReadNotebook(notebook);
            if (current.Package is null || current.Package == package) continue;
            // Edit the raw JSON text so that the file keeps its formatting: only the one reference changes.
            string raw = File.ReadAllText(notebook);
            string oldLine = JsonEncodedNugetPrefix(current.Package);
            int at = raw.IndexOf(oldLine, StringComparison.Ordinal);
            if (at < 0) throw new InvalidDataException($"{notebook}: found {current.Package} in the first code cell but not its JSON text '{oldLine}'.");
            AtomicFile.WriteText(notebook, raw[..at] + JsonEncodedNugetPrefix(package) + raw[(at + oldLine.Length)..]);
            changed.Add(notebook);
        }
        return changed;
    }

    // How `#r "nuget: NAME,` appears inside a JSON string (package names hold only letters and dashes).
    private static string JsonEncodedNugetPrefix(string package) => "#r \\\"nuget: " + package + ",";

    private static string BuildProps(string repoRoot) => Path.Combine(repoRoot, "Directory.Build.props");

    private static string? FirstCodeCellSource(JsonNode? notebook)
    {
        if (notebook?["cells"] is not JsonArray cells) return null;
        foreach (var cell in cells)
        {
            if (cell?["cell_type"]?.GetValue<string>() != "code") continue;
            return cell["source"] switch
            {
                JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
                JsonValue value => value.GetValue<string>(),
                _ => "",
            };
        }
        return null;
    }

    [GeneratedRegex(@"<TorchSharpPackage\b[^>]*>(?<value>[^<]*)</TorchSharpPackage>")]
    private static partial Regex PropertyElement();

    [GeneratedRegex(@"#r\s+""nuget:\s*(?<package>TorchSharp(-[A-Za-z-]+)?)\s*,")]
    private static partial Regex NugetLine();
}
