using System.Text;
using System.Text.RegularExpressions;

namespace WorkshopKit.Runner;

/// <summary>
/// Turns an instructor's notebook into an attendee's copy: every region between
/// <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c> (markers included) is removed and outputs are cleared.
/// The exercise cell keeps its placeholder line above the region, so the copy still runs and the
/// check cell answers with a hint. Relative <c>#r "...dll"</c> paths are rewritten for the copy's folder, so a copy
/// written anywhere (artifacts/student/ by default) still finds the built library. A core copy also leaves out the
/// optional sections (<see cref="CorePath"/>), for a workshop that follows the 3-hour path.
/// </summary>
public static partial class StudentCopies
{
    /// <summary>The line that opens a solution region in a code cell.</summary>
    public const string BeginMarker = "// BEGIN SOLUTION";

    /// <summary>The line that closes a solution region.</summary>
    public const string EndMarker = "// END SOLUTION";

    /// <summary>
    /// Writes the attendee copy of <paramref name="notebookPath"/> to <paramref name="outputPath"/> and returns how many
    /// solution regions it removed from the cells the copy keeps; with <paramref name="coreOnly"/> the cells of optional
    /// sections are left out as well (their solutions go with them and are not counted: the copy has no exercise there).
    /// </summary>
    public static int Write(string notebookPath, string outputPath, bool coreOnly = false)
    {
        var notebook = IpynbJson.Load(notebookPath);
        var kept = coreOnly ? CorePath.CoreCells(notebook) : null; // same cell indexing as the loop below
        int removed = 0, index = -1;
        foreach (var cell in IpynbJson.Cells(notebook))
        {
            index++;
            IpynbJson.ClearOutputs(cell);
            if (IpynbJson.CellType(cell) != "code") continue;
            string source = IpynbJson.Source(cell);
            string moved = RebaseDllReferences(source, Path.GetDirectoryName(Path.GetFullPath(notebookPath))!, Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            if (moved != source) { IpynbJson.SetSource(cell, moved); source = moved; }
            if (!source.Contains(BeginMarker, StringComparison.Ordinal)) continue;
            var (stripped, count) = Strip(source, $"{notebookPath} cell {index + 1}");
            IpynbJson.SetSource(cell, stripped);
            if (kept is null || kept[index]) removed += count;
        }
        if (coreOnly) CorePath.DropOptional(notebook); // after stripping, so errors above name the instructor's cell numbers
        IpynbJson.Save(notebook, outputPath);
        return removed;
    }

    /// <summary>
    /// Rewrites each relative <c>#r "path.dll"</c> line of <paramref name="source"/> (written for a notebook in
    /// <paramref name="fromFolder"/>) so that it names the same file from <paramref name="toFolder"/>. .NET Interactive
    /// resolves such paths against the notebook's folder, so a copy elsewhere needs the path rebased.
    /// </summary>
    public static string RebaseDllReferences(string source, string fromFolder, string toFolder)
    {
        ArgumentNullException.ThrowIfNull(source);
        return DllReference().Replace(source, m =>
        {
            string path = m.Groups["path"].Value;
            if (Path.IsPathRooted(path)) return m.Value;
            string target = Path.GetFullPath(Path.Combine(fromFolder, path));
            string rebased = Path.GetRelativePath(toFolder, target).Replace('\\', '/');
            return m.Groups["head"].Value + rebased + m.Groups["tail"].Value;
        });
    }

    [GeneratedRegex("""^(?<head>[ \t]*#r[ \t]+")(?<path>[^"]+\.dll)(?<tail>"[ \t]*)$""", RegexOptions.Multiline)]
    private static partial Regex DllReference();

    /// <summary>The solution lines of a notebook (without markers), so a test can prove none survive in the attendee copy.</summary>
    public static IReadOnlyList<string> SolutionLines(string notebookPath)
    {
        var lines = new List<string>();
        foreach (var cell in IpynbJson.Cells(IpynbJson.Load(notebookPath)))
        {
            bool inside = false;
            foreach (var raw in IpynbJson.Source(cell).Split('\n'))
            {
                string line = raw.Trim();
                if (line == BeginMarker) { inside = true; continue; }
                if (line == EndMarker) { inside = false; continue; }
                if (inside && line.Length > 0) lines.Add(line);
            }
        }
        return lines;
    }

    /// <summary>Removes the solution regions from one cell's source.</summary>
    /// <exception cref="InvalidDataException">A region is not closed, or closed without being opened.</exception>
    public static (string Source, int Regions) Strip(string source, string where)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sb = new StringBuilder();
        bool inside = false;
        int regions = 0;
        foreach (var line in source.Split('\n'))
        {
            string t = line.Trim();
            if (t == BeginMarker)
            {
                if (inside) throw new InvalidDataException($"{where}: '{BeginMarker}' inside an open solution region; close it with '{EndMarker}' first.");
                inside = true;
                regions++;
                continue;
            }
            if (t == EndMarker)
            {
                if (!inside) throw new InvalidDataException($"{where}: '{EndMarker}' without a matching '{BeginMarker}'.");
                inside = false;
                continue;
            }
            if (!inside) sb.Append(line).Append('\n');
        }
        if (inside) throw new InvalidDataException($"{where}: a solution region opened with '{BeginMarker}' is never closed with '{EndMarker}'.");
        string result = sb.ToString();
        if (!source.EndsWith('\n') && result.EndsWith('\n')) result = result[..^1];
        return (result.TrimEnd('\n', ' ') + (source.EndsWith('\n') ? "\n" : ""), regions);
    }
}
