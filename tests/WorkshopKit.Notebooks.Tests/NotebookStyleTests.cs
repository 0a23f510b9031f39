using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// Cells people read on a projector and in a side-by-side editor: no code line over 120 characters, and charts through
/// the kit's helpers (WorkshopKit.Visuals.Charts) rather than inline plotly.js dictionaries or generic Plotly.NET
/// calls spelled out in full (docs/notebook-conventions.md, "Code cells").
/// </summary>
public class NotebookStyleTests
{
    private const int MaxLineLength = 120;

    private static readonly string[] Banned = ["new Dictionary<string, object>", "Plotly.NET.CSharp.GenericChartExtensions"];

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void CodeLinesAreAtMost120CharactersAndUseNoInlinePlotlyDictionaries(string notebook)
    {
        var problems = new List<string>();
        var cells = IpynbJson.Cells(IpynbJson.Load(Path.Combine(RepoRoot.Path, "notebooks", notebook))).ToList();
        for (int index = 0; index < cells.Count; index++)
        {
            if (IpynbJson.CellType(cells[index]) != "code") continue;
            string[] lines = IpynbJson.Source(cells[index]).Split('\n');
            for (int line = 0; line < lines.Length; line++)
            {
                string text = lines[line].TrimEnd('\r');
                string where = $"{notebook}, cell {index}, line {line + 1}";
                if (text.Length > MaxLineLength)
                    problems.Add($"{where}: {text.Length} characters (at most {MaxLineLength}; break the argument list or " +
                                 $"split the string): {text}");
                foreach (string banned in Banned.Where(b => text.Contains(b, StringComparison.Ordinal)))
                    problems.Add($"{where}: \"{banned}\" (use WorkshopKit.Visuals.Charts or a library chart): {text}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
