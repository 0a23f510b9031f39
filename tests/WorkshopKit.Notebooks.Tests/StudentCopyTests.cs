using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

public class StudentCopyTests
{
    private const string ExerciseCell = """
        // Exercise 1: how many positions does a 5-wide window have in a 28-wide row?
        int positions = 0; // replace 0 with your answer
        // BEGIN SOLUTION
        positions = 28 - 5 + 1;
        // END SOLUTION
        """;

    [Fact]
    public void StripRemovesTheRegionAndKeepsThePlaceholder()
    {
        var (source, regions) = StudentCopies.Strip(ExerciseCell, "test");
        Assert.Equal(1, regions);
        Assert.Contains("int positions = 0;", source, StringComparison.Ordinal);
        Assert.DoesNotContain("28 - 5 + 1", source, StringComparison.Ordinal);
        Assert.DoesNotContain("SOLUTION", source, StringComparison.Ordinal);
    }

    [Fact]
    public void UnbalancedMarkersAreReportedWithWhereTheyAre()
    {
        var open = Assert.Throws<InvalidDataException>(() => StudentCopies.Strip("// BEGIN SOLUTION\nx = 1;\n", "nb.ipynb cell 7"));
        Assert.Contains("nb.ipynb cell 7", open.Message, StringComparison.Ordinal);
        Assert.Contains("never closed", open.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => StudentCopies.Strip("x = 1;\n// END SOLUTION\n", "here"));
    }

    [Fact]
    public void EveryNotebookHasAnAttendeeCopyWithNoSolutionText()
    {
        string output = Path.Combine(Path.GetTempPath(), "wk-student-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var notebook in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb"))
            {
                string copy = Path.Combine(output, Path.GetFileName(notebook));
                int regions = StudentCopies.Write(notebook, copy);
                var solutionLines = StudentCopies.SolutionLines(notebook);
                Assert.Equal(regions > 0, solutionLines.Count > 0);
                string text = File.ReadAllText(copy);
                Assert.DoesNotContain(StudentCopies.BeginMarker, text, StringComparison.Ordinal);
                foreach (var line in solutionLines)
                    Assert.False(text.Contains(System.Text.Json.JsonSerializer.Serialize(line).Trim('"'), StringComparison.Ordinal),
                        $"{Path.GetFileName(notebook)}: the attendee copy still contains the solution line '{line}'");
            }
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void CommittedNotebooksCarryNoOutputs()
    {
        // Outputs are produced by the main job into artifacts/; a committed output would go stale.
        foreach (var notebook in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb"))
            foreach (var cell in IpynbJson.Cells(IpynbJson.Load(notebook)).Where(c => IpynbJson.CellType(c) == "code"))
                Assert.True(cell["outputs"] is not System.Text.Json.Nodes.JsonArray { Count: > 0 },
                    $"{Path.GetFileName(notebook)} has committed outputs; clear them (the main job writes executed copies to artifacts/).");
    }
}
