using WorkshopKit.Exercises;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// Exercises work both ways round: in the instructor's notebook every check cell says "Correct"; the attendee and core
/// copies (solutions removed) answer "Not yet" with a hint, checked where attendees run them, in Jupyter and dotnet-repl
/// (NotebookClientTests).
/// </summary>
public sealed class AttendeeCopyTests
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

        var verdicts = ExerciseVerdicts.Of(executed.Document);

        Assert.NotEmpty(verdicts);
        foreach (var (cell, name, verdict) in verdicts)
            Assert.True(verdict == ExerciseResult.CorrectWord, $"{notebook} cell {cell}: exercise {name} says '{verdict}' with the solution in place");
    }
}
