using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Documents;
using WorkshopKit.Exercises;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// Exercises work both ways round: in the instructor's notebook every check cell says "Correct", and the attendee copy
/// (solutions removed) runs top to bottom with every check cell answering "Not yet" and a hint.
/// </summary>
public sealed partial class AttendeeCopyTests
{
    /// <summary>Notebooks with at least one solution region; only these have attendee copies worth running.</summary>
    public static TheoryData<string> NotebooksWithExercises()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            if (StudentCopies.SolutionLines(path).Count > 0) data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(NotebooksWithExercises))]
    public async Task Instructor_check_cells_say_correct(string notebook)
    {
        var executed = await ExecutedNotebooks.Get(notebook);
        Assert.True(executed.Result.Succeeded, executed.Result.Summary);

        var verdicts = Verdicts(executed.Document);

        Assert.NotEmpty(verdicts);
        foreach (var (cell, name, verdict) in verdicts)
            Assert.True(verdict == ExerciseResult.CorrectWord, $"{notebook} cell {cell}: exercise {name} says '{verdict}' with the solution in place");
    }

    [Theory]
    [MemberData(nameof(NotebooksWithExercises))]
    public async Task Attendee_copy_runs_and_its_check_cells_give_hints(string notebook)
    {
        // The copy keeps the notebook's relative reference ../lib/WorkshopKit/...: give it a notebooks/ folder next to a link to lib/.
        using var folder = new FolderBesideLib("wk-attendee-");
        string copy = folder.NotebookPath(notebook);
        int regions = StudentCopies.Write(Path.Combine(RepoRoot.Path, "notebooks", notebook), copy);
        Assert.True(regions > 0);

        var attendee = await new NotebookRunner(new NotebookRunnerOptions { CellTimeout = TimeSpan.FromMinutes(5) }).RunAsync(copy);
        var instructor = await ExecutedNotebooks.Get(notebook);

        Assert.True(attendee.Result.Succeeded, "the attendee copy must run top to bottom: " + attendee.Result.Summary);
        var verdicts = Verdicts(attendee.Document);
        // The same check cells answer as in the instructor's run, each with a hint instead of "Correct".
        Assert.Equal(Verdicts(instructor.Document).Select(v => (v.Cell, v.Name)), verdicts.Select(v => (v.Cell, v.Name)));
        foreach (var (cell, name, verdict) in verdicts)
            Assert.True(verdict == ExerciseResult.NotYetWord, $"{notebook} (attendee copy) cell {cell}: exercise {name} says '{verdict}' with the placeholder answer");
        string outputs = string.Join("\n", attendee.Document.Elements.SelectMany(e => e.Outputs).SelectMany(OutputTexts));
        Assert.Contains("Hint:", outputs, StringComparison.Ordinal);
    }

    /// <summary>Every notebook: each has a core copy (optional sections left out) that must still run.</summary>
    public static TheoryData<string> AllNotebooks() => ExecutedNotebooks.All();

    [Theory]
    [MemberData(nameof(AllNotebooks))]
    public async Task Core_copy_runs_top_to_bottom_and_its_check_cells_give_hints(string notebook)
    {
        // Leaving out optional sections must not remove a variable a later core cell uses: run the copy as an attendee would.
        using var folder = new FolderBesideLib("wk-core-run-");
        string source = Path.Combine(RepoRoot.Path, "notebooks", notebook);
        string copy = folder.NotebookPath(notebook);
        StudentCopies.Write(source, copy, coreOnly: true);
        var original = IpynbJson.Load(source);
        Assert.True(CorePath.CoreCells(original).Count(c => !c) > 0, $"{notebook} has no optional cell, so its core copy tests nothing new");

        var core = await new NotebookRunner(new NotebookRunnerOptions { CellTimeout = TimeSpan.FromMinutes(5) }).RunAsync(copy);

        Assert.True(core.Result.Succeeded, "the core copy must run top to bottom: " + core.Result.Summary);
        Assert.DoesNotContain(core.Result.Cells, c => c.Status == CellStatus.NotRun);
        var verdicts = Verdicts(core.Document);
        var estimate = Pacing.Estimate(notebook, original, PacingRules.Workshop, 0);
        Assert.Equal(estimate.CoreExercises, verdicts.Count);
        foreach (var (cell, name, verdict) in verdicts)
            Assert.True(verdict == ExerciseResult.NotYetWord, $"{notebook} (core copy) cell {cell}: exercise {name} says '{verdict}' with the placeholder answer");
    }

    /// <summary>A temporary folder with notebooks/ beside a link to the repository's lib/, so a copy's relative <c>#r</c> paths resolve.</summary>
    private sealed class FolderBesideLib : IDisposable
    {
        private readonly string root;

        public FolderBesideLib(string prefix)
        {
            root = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(root, "notebooks"));
            Directory.CreateSymbolicLink(Path.Combine(root, "lib"), Path.Combine(RepoRoot.Path, "lib"));
        }

        public string NotebookPath(string notebook) => Path.Combine(root, "notebooks", notebook);

        public void Dispose()
        {
            if (!Directory.Exists(root)) return;
            Directory.Delete(Path.Combine(root, "lib")); // the link only, never the repository's lib/
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The exercise verdicts shown in a run, one per check cell: (1-based cell number, exercise name, "Correct" or "Not yet"),
    /// read from ExerciseResult's HTML or text form.
    /// </summary>
    private static List<(int Cell, string Name, string Verdict)> Verdicts(InteractiveDocument document)
    {
        var verdicts = new List<(int, string, string)>();
        for (int i = 0; i < document.Elements.Count; i++)
        {
            string text = string.Join("\n", document.Elements[i].Outputs.SelectMany(OutputTexts));
            var match = Verdict().Match(text);
            if (match.Success) verdicts.Add((i + 1, match.Groups["name"].Value, match.Groups["verdict"].Value));
        }
        return verdicts;
    }

    private static IEnumerable<string> OutputTexts(InteractiveDocumentOutputElement output) => output switch
    {
        TextElement t => [t.Text],
        DisplayElement d => d.Data.Values.Select(v => v?.ToString() ?? ""),
        ReturnValueElement r => r.Data.Values.Select(v => v?.ToString() ?? ""),
        ErrorElement e => [e.ErrorName + ": " + e.ErrorValue],
        _ => [],
    };

    [GeneratedRegex(@"Exercise (?<name>[0-9]+(\.[0-9]+)*):(</b>)? (?<verdict>Correct|Not yet)")]
    private static partial Regex Verdict();
}
