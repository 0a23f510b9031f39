using System.Text.Json.Nodes;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// The 3-hour core path: every section of every notebook is marked core or optional, the marks mean what the copies and
/// the pacing estimate do with them, and the core path fits a 3-hour workshop with its breaks.
/// </summary>
public class CorePathTests
{
    private static IEnumerable<string> NotebookPaths() =>
        Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal);

    private static JsonObject Markdown(string id, string text, string? mark = null)
    {
        var cell = new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["id"] = id };
        IpynbJson.SetSource(cell, text);
        if (mark is not null) CorePath.SetMark(cell, mark);
        return cell;
    }

    private static JsonObject Code(string id, string text, string? mark = null)
    {
        var cell = new JsonObject { ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["id"] = id };
        IpynbJson.SetSource(cell, text);
        if (mark is not null) CorePath.SetMark(cell, mark);
        return cell;
    }

    private static JsonObject Notebook(params JsonObject[] cells) => new() { ["cells"] = new JsonArray(cells) };

    /// <summary>A small notebook with every case: title, core section, optional ## with a ### under it and a kept cell, core exercise section.</summary>
    private static JsonObject Sample() => Notebook(
        Markdown("title", "# 99 · Sample"),
        Code("refs", "#r \"nuget: TorchSharp-cpu, 0.107.0\""),
        Markdown("s1", "## 1. Core part\n\nfour words of text", CorePath.Core),
        Code("s1-code", "var a = 1;"),
        Markdown("s2", "## 2. Extra\n\n*Optional: not needed later.*", CorePath.Optional),
        Code("s2-code", "var b = 2;"),
        Code("s2-kept", "var c = 3;", CorePath.Core),
        Markdown("s2-sub", "### 2.1 More extra\n\n*Optional: part of section 2.*", CorePath.Optional),
        Code("s2-sub-code", "var d = c;"),
        Markdown("exs", "## Exercises", CorePath.Core),
        Markdown("ex", "### Exercise 99.1: a number", CorePath.Core),
        Code("ex-cell", "int answer = 0;\n// BEGIN SOLUTION\nanswer = 42;\n// END SOLUTION"),
        Code("ex-check", "Lesson99.Check(answer)"));

    [Fact]
    public void Every_section_of_every_notebook_carries_exactly_one_valid_mark()
    {
        var problems = NotebookPaths().SelectMany(p => CorePath.Problems(IpynbJson.Load(p), Path.GetFileName(p))).ToList();
        Assert.True(problems.Count == 0, "sections without a valid core/optional mark:\n" + string.Join("\n", problems));
        foreach (var path in NotebookPaths())
        {
            var sections = CorePath.Sections(IpynbJson.Load(path));
            Assert.Contains(sections, s => !s.Optional);
            Assert.Contains(sections, s => s.Optional);
        }
    }

    [Fact]
    public void Problems_name_an_unmarked_section_a_heading_inside_a_cell_and_a_missing_visible_mark()
    {
        var notebook = Notebook(
            Markdown("a", "## Unmarked"),
            Markdown("b", "## Marked\n\ntext\n\n### Hidden heading", CorePath.Core),
            Markdown("c", "## Optional without the line", CorePath.Optional),
            Markdown("d", "### Core under optional", CorePath.Core),
            Markdown("e", "## Twice wrong\n\n*Optional: says so.*", CorePath.Core),
            Code("f", "var x = 1;", CorePath.Optional),
            Markdown("g", "## Unknown", "sometimes"));

        var problems = CorePath.Problems(notebook, "nb.ipynb");

        Assert.Contains(problems, p => p.Contains("cell 1 (a)", StringComparison.Ordinal) && p.Contains("needs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cell 2 (b)", StringComparison.Ordinal) && p.Contains("Hidden heading", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cell 3 (c)", StringComparison.Ordinal) && p.Contains(CorePath.VisibleMark, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cell 4 (d)", StringComparison.Ordinal) && p.Contains("under an optional", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cell 5 (e)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cell 6 (f)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("cell 7 (g)", StringComparison.Ordinal) && p.Contains("sometimes", StringComparison.Ordinal));
        Assert.Empty(CorePath.Problems(Sample(), "sample.ipynb"));
    }

    [Fact]
    public void Optional_sections_and_their_subsections_are_dropped_and_kept_cells_stay()
    {
        var notebook = Sample();
        Assert.Equal([false, true, true, false, false], CorePath.Sections(notebook).Select(s => s.Optional));

        int removed = CorePath.DropOptional(notebook);

        var ids = IpynbJson.Cells(notebook).Select(c => c["id"]!.ToString()).ToList();
        Assert.Equal(4, removed);
        Assert.Equal(["title", "refs", "s1", "s1-code", "s2-kept", "exs", "ex", "ex-cell", "ex-check"], ids);
    }

    [Fact]
    public void Pacing_follows_the_stated_rules()
    {
        var rules = new PacingRules(WordsPerMinute: 10, MinutesPerCodeCell: 1, MinutesPerExercise: 5);
        var notebook = Sample();

        Assert.Equal(0.4, Pacing.CellMinutes(Markdown("m", "## Three words here"), rules), 10); // "##" counts as a word
        Assert.Equal(1, Pacing.CellMinutes(Code("c", "var a = 1;"), rules));
        Assert.Equal(6, Pacing.CellMinutes(Code("e", "int x = 0;\n// BEGIN SOLUTION\nx = 1;\n// END SOLUTION"), rules));

        var estimate = Pacing.Estimate("sample.ipynb", notebook, rules, coreExecutionSeconds: 30);
        // Core: title 4 words, refs 1, s1 8 words + 1, kept 1, "## Exercises" 2 words, exercise heading 5 words, exercise 6,
        // check 1; plus 0.5 min run.
        Assert.Equal((4 + 8 + 2 + 5) / 10.0 + 1 + 1 + 1 + 6 + 1 + 0.5, estimate.CoreMinutes, 10);
        // Optional: s2 7 words + 1 code, s2-sub 9 words + 1 code.
        Assert.Equal((7 + 9) / 10.0 + 2, estimate.OptionalMinutes, 10);
        Assert.Equal((1, 0, 30.0), (estimate.CoreExercises, estimate.OptionalExercises, estimate.CoreExecutionSeconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pacing.Estimate("x", notebook, rules, double.NaN));
    }

    [Fact]
    public void The_core_path_fits_three_hours_with_two_breaks()
    {
        // 180 minutes, less two 10-minute breaks; execution time (measured, about a minute in all: README) comes on top of
        // these rule minutes, so keep 5 minutes for it.
        double core = NotebookPaths().Sum(p => Pacing.Estimate(Path.GetFileName(p), IpynbJson.Load(p), PacingRules.Workshop, 0).CoreMinutes);
        Assert.True(core <= 180 - 20 - 5, $"the core path takes {core:F0} min by the pacing rules; mark sections optional until it fits 3 hours with breaks (at most 155 min).");
    }

    [Fact]
    public void Core_copies_leave_out_the_optional_cells_keep_the_core_cells_and_no_solution()
    {
        string output = Path.Combine(Path.GetTempPath(), "wk-core-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var path in NotebookPaths())
            {
                string name = Path.GetFileName(path);
                var original = IpynbJson.Load(path);
                var cells = IpynbJson.Cells(original).ToList();
                var core = CorePath.CoreCells(original);
                string copyPath = Path.Combine(output, name);
                int regions = StudentCopies.Write(path, copyPath, coreOnly: true);
                var copy = IpynbJson.Load(copyPath);
                var ids = IpynbJson.Cells(copy).Select(c => c["id"]!.ToString()).ToList();

                Assert.Equal(cells.Where((_, i) => core[i]).Select(c => c["id"]!.ToString()), ids);
                // The count names the solutions removed from cells the copy keeps, not those that left with optional cells.
                int keptRegions = cells.Where((_, i) => core[i])
                    .Sum(c => System.Text.RegularExpressions.Regex.Count(IpynbJson.Source(c), System.Text.RegularExpressions.Regex.Escape(StudentCopies.BeginMarker)));
                Assert.Equal(keptRegions, regions);
                Assert.DoesNotContain(IpynbJson.Cells(copy), c => CorePath.Mark(c) == CorePath.Optional);
                Assert.DoesNotContain(IpynbJson.Cells(copy), c => IpynbJson.Source(c).Contains(CorePath.VisibleMark, StringComparison.Ordinal));
                // Every core exercise keeps its cell (placeholder, no solution) and the check cell after it.
                var exercises = cells.Select((c, i) => (c, i)).Where(x => core[x.i] && Pacing.IsExercise(x.c)).ToList();
                Assert.NotEmpty(exercises);
                foreach (var (cell, i) in exercises)
                {
                    string check = IpynbJson.Source(cells[i + 1]);
                    Assert.StartsWith("Lesson", check.TrimStart(), StringComparison.Ordinal);
                    Assert.Contains(IpynbJson.Cells(copy), c => IpynbJson.Source(c) == check);
                    Assert.Contains(cell["id"]!.ToString(), ids);
                }
                string text = File.ReadAllText(copyPath);
                Assert.DoesNotContain(StudentCopies.BeginMarker, text, StringComparison.Ordinal);
                foreach (var line in StudentCopies.SolutionLines(path))
                    Assert.False(text.Contains(System.Text.Json.JsonSerializer.Serialize(line).Trim('"'), StringComparison.Ordinal),
                        $"{name}: the core copy still contains the solution line '{line}'");
            }
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
