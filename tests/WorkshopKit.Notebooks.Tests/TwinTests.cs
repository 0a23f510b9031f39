using System.Diagnostics;
using System.Text.Json.Nodes;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

public class TwinTests
{
    private static string WriteNotebook(params (string Type, string Source)[] cells)
    {
        var array = new JsonArray();
        foreach (var (type, source) in cells)
        {
            var cell = new JsonObject { ["cell_type"] = type, ["metadata"] = new JsonObject() };
            if (type == "code") { cell["outputs"] = new JsonArray(); cell["execution_count"] = null; }
            IpynbJson.SetSource(cell, source);
            array.Add(cell);
        }
        var notebook = new JsonObject { ["cells"] = array, ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        string path = Path.Combine(Path.GetTempPath(), $"wk-twin-{Guid.NewGuid():N}.ipynb");
        IpynbJson.Save(notebook, path);
        return path;
    }

    [Fact]
    public void MarkdownBecomesCommentsReferencesBecomeDirectivesAndTrailingValuesAreDisplayed()
    {
        string path = WriteNotebook(
            ("markdown", "# Title\nSome *text*."),
            ("code", "#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget: XPlot.Plotly, 4.1.0\"\n#r \"../lib/WorkshopKit/bin/Debug/net10.0/WorkshopKit.dll\"\nusing TorchSharp;"),
            ("code", "var x = torch.ones(2);\nx.sum()"),
            ("code", "var label = \"a // not a comment\";\nlabel.Length // the length"),
            ("code", "#!mermaid\nflowchart TD\n  a --> b"));
        try
        {
            string twin = NotebookTwins.Generate(path);
            Assert.Contains("// # Title", twin, StringComparison.Ordinal);
            Assert.Contains("#:include ../lib/WorkshopKit.Sources.cs\n", twin, StringComparison.Ordinal);
            Assert.DoesNotContain("#:project", twin, StringComparison.Ordinal); // it would cost MSBuild at every start
            Assert.Contains("#:package XPlot.Plotly\n", twin, StringComparison.Ordinal);
            Assert.DoesNotContain("#:package TorchSharp", twin, StringComparison.Ordinal); // the library brings it
            Assert.Contains("\nusing TorchSharp;\n", twin, StringComparison.Ordinal);
            Assert.Contains("display(x.sum());", twin, StringComparison.Ordinal);
            Assert.Contains("display(label.Length); // the length", twin, StringComparison.Ordinal);
            Assert.Contains("// flowchart TD", twin, StringComparison.Ordinal);
            Assert.DoesNotContain("#r ", twin, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TypesDeclaredInCellsMoveAfterTheTopLevelStatementsWithTheirComments()
    {
        string path = WriteNotebook(
            ("code", "var a = 1;\n// A block written in the cell.\nclass Doubler\n{\n    public int Apply(int x) => 2 * x;\n}\nvar b = new Doubler().Apply(a);\nb"),
            ("code", "enum Colour { Red, Green }\nrecord Point(int X, int Y);\nConsole.WriteLine(Colour.Green);"));
        try
        {
            string twin = NotebookTwins.Generate(path);
            int display = twin.IndexOf("static void display(", StringComparison.Ordinal);
            int doubler = twin.IndexOf("class Doubler", StringComparison.Ordinal);
            Assert.True(display > 0 && doubler > display, "class Doubler must come after the last top-level statement:\n" + twin);
            Assert.True(twin.IndexOf("// A block written in the cell.", StringComparison.Ordinal) > display); // the comment travels with it
            Assert.True(twin.IndexOf("enum Colour", StringComparison.Ordinal) > doubler); // cell order is kept
            Assert.True(twin.IndexOf("record Point(int X, int Y);", StringComparison.Ordinal) > doubler);
            Assert.Contains("var b = new Doubler().Apply(a);\ndisplay(b);", twin, StringComparison.Ordinal);
            Assert.Contains("Console.WriteLine(Colour.Green);", twin, StringComparison.Ordinal);
            Assert.Equal(1, twin.Split("class Doubler").Length - 1);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void CommittedTwinsMatchTheNotebooks()
    {
        var stale = NotebookTwins.WriteAll(RepoRoot.Path, check: true);
        Assert.True(stale.Count == 0,
            "These twins differ from their notebooks; run `dotnet run --project tools/WorkshopKit.Cli -- twins`: " + string.Join(", ", stale));
    }

    [Fact]
    public void The_library_sources_file_includes_every_library_source_git_knows_and_its_packages()
    {
        // Independent list: the C# files git tracks (or would track) under lib/WorkshopKit.
        var start = new ProcessStartInfo("git", ["ls-files", "-co", "--exclude-standard", "lib/WorkshopKit"]) { WorkingDirectory = RepoRoot.Path, RedirectStandardOutput = true };
        using var git = Process.Start(start)!;
        var files = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(f => f.EndsWith(".cs", StringComparison.Ordinal)).ToList();
        git.WaitForExit();
        Assert.True(files.Count > 100, $"git listed {files.Count} library files");
        var lines = File.ReadAllLines(Path.Combine(RepoRoot.Path, NotebookTwins.LibrarySourcesFile));
        var included = lines.Where(l => l.StartsWith("#:include ", StringComparison.Ordinal)).Select(l => "lib/" + l["#:include ".Length..]).ToList();
        Assert.Equal(files.Order(StringComparer.Ordinal), included);
        foreach (var package in new[] { "Plotly.NET", "Plotly.NET.CSharp", "FSharp.Core", "Microsoft.DotNet.Interactive.Formatting" })
            Assert.Contains("#:package " + package, lines);
        // TorchSharp and the platform's libtorch come from Directory.Build.props's switch, as for the library.
        Assert.Contains("#:property WorkshopKitTorch=true", lines);
        Assert.DoesNotContain(lines, l => l.Contains('*', StringComparison.Ordinal)); // a wildcard switches dotnet run's cache off
    }

    public static TheoryData<string> Twins()
    {
        var data = new TheoryData<string>();
        string folder = Path.Combine(RepoRoot.Path, "twins");
        if (Directory.Exists(folder))
            foreach (var f in Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Twins))]
    public async Task EveryTwinRuns(string twin)
    {
        string outDir = Path.Combine(Path.GetTempPath(), "wk-twin-out-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", ["run", Path.Combine("twins", twin)])
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WORKSHOPKIT_TWIN_OUT"] = outDir;
        // Ten minutes: a twin's first run compiles the library into it (13-15 s on a quiet 2-core machine, a minute
        // at load 8), then runs the notebook's cells.
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        bool exited = true;
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { exited = false; process.Kill(entireProcessTree: true); }
        string output = await stdout, errors = await stderr;
        Assert.True(exited && process.ExitCode == 0,
            $"dotnet run twins/{twin} failed (exit {(exited ? process.ExitCode : -1)}):\n{output}\n{errors}");
        Assert.Contains("== done", output, StringComparison.Ordinal);
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
    }

    [Fact]
    public async Task A_twin_without_its_data_folder_prints_the_data_file_message_and_exits_1()
    {
        // 01 loads MNIST in its first code cells; WORKSHOPKIT_DATA at an empty folder is a data/ that is not there.
        string empty = Path.Combine(Path.GetTempPath(), "wk-no-data-" + Guid.NewGuid().ToString("N"));
        string outDir = empty + "-out";
        Directory.CreateDirectory(empty);
        try
        {
            var start = new ProcessStartInfo("dotnet", ["run", Path.Combine("twins", "01-convolutional-layers.cs")])
            {
                WorkingDirectory = RepoRoot.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["WORKSHOPKIT_DATA"] = empty;
            start.Environment["WORKSHOPKIT_TWIN_OUT"] = outDir;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            bool exited = true;
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { exited = false; process.Kill(entireProcessTree: true); }
            string output = await stdout, errors = await stderr;

            Assert.True(exited && process.ExitCode == 1, $"expected exit 1, got {(exited ? process.ExitCode : -1)}:\n{output}\n{errors}");
            Assert.Contains($"Data file {Path.Combine(empty, "MANIFEST.json")}: missing.", errors, StringComparison.Ordinal);
            Assert.Contains("WORKSHOPKIT_DATA", errors, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal); // a message, not a stack trace
            Assert.DoesNotContain("== done", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }
}
