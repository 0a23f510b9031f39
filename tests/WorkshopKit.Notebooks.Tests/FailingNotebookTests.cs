using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

public sealed class FailingNotebookTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("workshopkit-failing-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string WriteNotebook(params (string Type, string Source)[] cells)
    {
        var array = new JsonArray();
        foreach (var (type, source) in cells)
        {
            var cell = new JsonObject { ["cell_type"] = type, ["metadata"] = new JsonObject(), ["source"] = source };
            if (type == "code")
            {
                cell["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } };
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
            }
            array.Add(cell);
        }
        var notebook = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["language"] = "C#", ["display_name"] = ".NET (C#)" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        string path = Path.Combine(folder, "broken.ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    [Fact]
    public async Task Exception_in_a_cell_is_reported_with_its_number_and_message_and_later_cells_do_not_run()
    {
        string path = WriteNotebook(
            ("markdown", "# A notebook that breaks"),
            ("code", "var answer = 42;"),
            ("markdown", "The next cell throws."),
            ("code", "throw new InvalidOperationException($\"deliberate failure {answer}\");"),
            ("code", "Console.WriteLine(\"must not run\");"));

        var executed = await new NotebookRunner().RunAndSaveAsync(path, Path.Combine(folder, "out", "broken.ipynb"));

        var result = executed.Result;
        Assert.False(result.Succeeded);
        Assert.Equal(4, result.FirstFailure!.Number);
        Assert.Contains("deliberate failure 42", result.FirstFailure.Error, StringComparison.Ordinal);
        Assert.Contains("cell 4 of 5", result.Summary, StringComparison.Ordinal);
        Assert.Equal([CellStatus.Skipped, CellStatus.Succeeded, CellStatus.Skipped, CellStatus.Failed, CellStatus.NotRun],
            result.Cells.Select(c => c.Status));

        // The saved notebook carries the error as the failed cell's output, readable by Jupyter and VS Code.
        var saved = NotebookRunner.Read(Path.Combine(folder, "out", "broken.ipynb"));
        var error = Assert.Single(saved.Elements[3].Outputs.OfType<ErrorElement>());
        Assert.Contains("deliberate failure 42", error.ErrorValue, StringComparison.Ordinal);
        Assert.Empty(saved.Elements[4].Outputs);
    }

    [Fact]
    public async Task Compile_error_is_reported_with_the_compiler_message()
    {
        string path = WriteNotebook(("code", "int number = \"not a number\";"));

        var result = (await new NotebookRunner().RunAsync(path)).Result;

        Assert.Equal(1, result.FirstFailure!.Number);
        Assert.Contains("CS0029", result.FirstFailure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cell_over_the_time_limit_fails_with_a_timeout_message()
    {
        string path = WriteNotebook(("code", "await Task.Delay(TimeSpan.FromSeconds(5));")); // ten times the limit; a longer delay only keeps the kernel busy after the test has its answer

        var result = (await new NotebookRunner(new NotebookRunnerOptions { CellTimeout = TimeSpan.FromMilliseconds(500) }).RunAsync(path)).Result;

        Assert.Equal(1, result.FirstFailure!.Number);
        Assert.Contains("time limit", result.FirstFailure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Successful_cells_report_progress_in_order_and_accept_the_csharp_magic()
    {
        string path = WriteNotebook(("code", "1 + 1"), ("markdown", "text"), ("code", "#!csharp\nConsole.WriteLine(\"hi\");"));
        var seen = new List<RunProgress>();

        var executed = await new NotebookRunner(new NotebookRunnerOptions { Progress = seen.Add }).RunAsync(path);

        Assert.True(executed.Result.Succeeded, executed.Result.Summary);
        Assert.Equal([1, 3, 4], seen.Select(p => p.Cell));
        Assert.All(seen, p => Assert.Equal(3, p.CellCount));
        var value = Assert.Single(executed.Document.Elements[0].Outputs.OfType<ReturnValueElement>());
        // .NET Interactive formats numbers as HTML (<pre>2</pre>) and may add text/plain.
        string shown = (string)(value.Data.TryGetValue("text/plain", out var plain) ? plain : value.Data["text/html"]);
        Assert.Matches("(^|>)2(<|$)", shown);
        var stdout = Assert.Single(executed.Document.Elements[2].Outputs.OfType<TextElement>());
        Assert.Equal("hi\n", stdout.Text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
