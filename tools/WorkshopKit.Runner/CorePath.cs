using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkshopKit.Runner;

/// <summary>
/// The 3-hour core path through the notebooks, read from the notebooks themselves so it cannot drift from them: every
/// markdown cell that opens with a <c>## </c> or <c>### </c> heading carries <c>"metadata": {"workshopkit": {"path":
/// "core"}}</c> or <c>"optional"</c>, and every cell up to the next such heading belongs to that section. An optional
/// section also says so to readers in the line under its heading (<c>*Optional: why you may skip it.*</c>). A
/// <c>###</c> section under an optional <c>##</c> is optional too. One cell inside an optional section that later core
/// cells need (a variable they use) can be kept with its own <c>"path": "core"</c>. Cells before the first heading (title,
/// references, usings) are always core.
/// </summary>
public static partial class CorePath
{
    /// <summary>The cell-metadata object that holds WorkshopKit's own settings.</summary>
    public const string MetadataKey = "workshopkit";

    /// <summary>The key under <see cref="MetadataKey"/> whose value is <see cref="Core"/> or <see cref="Optional"/>.</summary>
    public const string PathKey = "path";

    /// <summary>A section (or a kept cell) on the core path.</summary>
    public const string Core = "core";

    /// <summary>A section that a 3-hour workshop skips.</summary>
    public const string Optional = "optional";

    /// <summary>How the visible line under an optional heading starts (markdown emphasis), so readers see the mark too.</summary>
    public const string VisibleMark = "*Optional:";

    /// <summary>The heading level (2 or 3) when <paramref name="cell"/> is a markdown cell whose first line is a <c>##</c> or <c>###</c> heading, otherwise 0.</summary>
    public static int HeadingLevel(JsonObject cell)
    {
        if (IpynbJson.CellType(cell) != "markdown") return 0;
        string first = IpynbJson.Source(cell).Split('\n')[0];
        var match = SectionHeading().Match(first);
        return match.Success ? match.Groups["hashes"].Value.Length : 0;
    }

    /// <summary>The cell's own mark (<c>workshopkit.path</c> in its metadata), or null when it has none.</summary>
    public static string? Mark(JsonObject cell) =>
        cell?["metadata"]?[MetadataKey]?[PathKey] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    /// <summary>Sets the cell's mark, keeping any other metadata.</summary>
    public static void SetMark(JsonObject cell, string path)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell["metadata"] is not JsonObject metadata) cell["metadata"] = metadata = new JsonObject();
        if (metadata[MetadataKey] is not JsonObject own) metadata[MetadataKey] = own = new JsonObject();
        own[PathKey] = path;
    }

    /// <summary>The sections of a notebook in order, each with the cells it spans and whether it is optional.</summary>
    public static IReadOnlyList<NotebookSection> Sections(JsonObject notebook)
    {
        var cells = IpynbJson.Cells(notebook).ToList();
        var sections = new List<NotebookSection>();
        bool parentOptional = false;
        for (int i = 0; i < cells.Count; i++)
        {
            int level = HeadingLevel(cells[i]);
            if (level == 0) continue;
            int end = i + 1;
            while (end < cells.Count && HeadingLevel(cells[end]) == 0) end++;
            bool optional = Mark(cells[i]) == Optional;
            if (level == 2) parentOptional = optional;
            else optional |= parentOptional;
            string heading = IpynbJson.Source(cells[i]).Split('\n')[0].TrimStart('#', ' ').Trim();
            sections.Add(new NotebookSection(heading, level, i, end - i, optional));
        }
        return sections;
    }

    /// <summary>For each cell of <paramref name="notebook"/>, whether it is on the core path (what <see cref="DropOptional"/> keeps).</summary>
    public static IReadOnlyList<bool> CoreCells(JsonObject notebook)
    {
        var cells = IpynbJson.Cells(notebook).ToList();
        var core = Enumerable.Repeat(true, cells.Count).ToArray();
        foreach (var section in Sections(notebook).Where(s => s.Optional))
            for (int i = section.FirstCell; i < section.FirstCell + section.CellCount; i++)
                core[i] = i != section.FirstCell && Mark(cells[i]) == Core;
        return core;
    }

    /// <summary>Removes the cells of optional sections (kept cells stay) and returns how many it removed.</summary>
    public static int DropOptional(JsonObject notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        if (notebook["cells"] is not JsonArray array) return 0;
        var core = CoreCells(notebook);
        int removed = 0;
        // Same indexing as CoreCells: only the array's objects count as cells.
        var cells = array.OfType<JsonObject>().ToList();
        for (int i = cells.Count - 1; i >= 0; i--)
        {
            if (core[i]) continue;
            array.Remove(cells[i]);
            removed++;
        }
        return removed;
    }

    /// <summary>
    /// What is wrong with the notebook's marks, one readable line each (empty when every section carries exactly one
    /// valid mark): a heading inside a cell (it would not start a section), a heading cell without a mark or with another
    /// value, an optional heading without its visible line or a core one with it, a core <c>###</c> under an optional
    /// <c>##</c>, and a mark on an ordinary cell other than a kept cell inside an optional section.
    /// </summary>
    public static IReadOnlyList<string> Problems(JsonObject notebook, string name)
    {
        var problems = new List<string>();
        var cells = IpynbJson.Cells(notebook).ToList();
        var sections = Sections(notebook);
        bool parentOptional = false;
        for (int i = 0; i < cells.Count; i++)
        {
            string where = $"{name} cell {i + 1} ({cells[i]["id"]?.ToString() ?? "no id"})";
            var lines = IpynbJson.Source(cells[i]).Split('\n');
            if (IpynbJson.CellType(cells[i]) == "markdown")
                for (int j = 1; j < lines.Length; j++)
                    if (SectionHeading().IsMatch(lines[j]))
                        problems.Add($"{where}: the heading '{lines[j].Trim()}' is not on the cell's first line; split the cell there so it opens a section.");
            int level = HeadingLevel(cells[i]);
            string? mark = Mark(cells[i]);
            if (level == 0)
            {
                var section = sections.LastOrDefault(s => s.FirstCell < i);
                bool inOptional = section is { Optional: true } && i < section.FirstCell + section.CellCount;
                if (mark is not null && !(inOptional && mark == Core))
                    problems.Add($"{where}: only heading cells carry a mark, and an ordinary cell only '{Core}' inside an optional section (a cell later core cells need); this one says '{mark}'.");
                continue;
            }
            if (mark is not (Core or Optional))
            {
                problems.Add($"{where}: the section '{lines[0].Trim()}' needs \"metadata\": {{\"{MetadataKey}\": {{\"{PathKey}\": \"{Core}\"}}}} or \"{Optional}\"" + (mark is null ? "." : $", not '{mark}'."));
                continue;
            }
            bool visible = lines.Skip(1).FirstOrDefault(l => l.Trim().Length > 0)?.TrimStart().StartsWith(VisibleMark, StringComparison.Ordinal) ?? false;
            if (mark == Optional && !visible)
                problems.Add($"{where}: the optional section '{lines[0].Trim()}' needs a line '{VisibleMark} why you may skip it.*' right under its heading.");
            if (mark == Core && visible)
                problems.Add($"{where}: the section '{lines[0].Trim()}' is marked '{Core}' but its text says '{VisibleMark}'.");
            if (level == 2) parentOptional = mark == Optional;
            else if (parentOptional && mark == Core)
                problems.Add($"{where}: '{lines[0].Trim()}' is marked '{Core}' under an optional ## section; mark it '{Optional}' or make the ## section core.");
        }
        return problems;
    }

    [GeneratedRegex(@"^(?<hashes>#{2,3})[ \t]+\S")]
    private static partial Regex SectionHeading();
}
