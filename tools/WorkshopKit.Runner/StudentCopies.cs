using System.Text;

namespace WorkshopKit.Runner;

/// <summary>
/// Turns an instructor's notebook into an attendee's copy: every region between
/// <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c> (markers included) is removed and outputs are cleared.
/// The exercise cell keeps its placeholder line above the region, so the copy still runs and the
/// check cell answers with a hint.
/// </summary>
public static class StudentCopies
{
    /// <summary>The line that opens a solution region in a code cell.</summary>
    public const string BeginMarker = "// BEGIN SOLUTION";

    /// <summary>The line that closes a solution region.</summary>
    public const string EndMarker = "// END SOLUTION";

    /// <summary>Writes the attendee copy of <paramref name="notebookPath"/> to <paramref name="outputPath"/> and returns how many solution regions it removed.</summary>
    public static int Write(string notebookPath, string outputPath)
    {
        var notebook = IpynbJson.Load(notebookPath);
        int removed = 0;
        foreach (var cell in IpynbJson.Cells(notebook))
        {
            IpynbJson.ClearOutputs(cell);
            if (IpynbJson.CellType(cell) != "code") continue;
            string source = IpynbJson.Source(cell);
            if (!source.Contains(BeginMarker, StringComparison.Ordinal)) continue;
            var (stripped, count) = Strip(source, $"{notebookPath} cell {IpynbJson.Cells(notebook).ToList().IndexOf(cell) + 1}");
            IpynbJson.SetSource(cell, stripped);
            removed += count;
        }
        IpynbJson.Save(notebook, outputPath);
        return removed;
    }

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
