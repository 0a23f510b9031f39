using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;
using WorkshopKit.Runner;

namespace WorkshopKit.Cli;

/// <summary>
/// <c>run [filter...]</c>, the main job: builds the library if it is out of date, executes notebooks/NN-*.ipynb in order
/// with a live progress display, writes the executed notebooks and the HTML book under artifacts/, and ends with a table.
/// Exit code 1 when any cell failed. It first deletes the temporary files a killed run left there; the index lists every
/// page in the book folder, so a filtered run keeps the other notebooks' rows (from their last run).
/// </summary>
internal static partial class RunCommand
{
    public static async Task<int> ExecuteAsync(string[] args)
    {
        var filters = new List<string>();
        bool build = true;
        TimeSpan? cellTimeout = null;
        string output = Path.Combine(Repo.Root, "artifacts");
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--no-build": build = false; break;
                case "--cell-timeout" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out double seconds) && seconds > 0:
                    cellTimeout = TimeSpan.FromSeconds(seconds); i++; break;
                case "--out" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]); break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new CliException($"unknown or incomplete option '{option}'; see `help`.");
                default: filters.Add(args[i]); break;
            }
        }

        var notebooks = Directory.GetFiles(Path.Combine(Repo.Root, "notebooks"), "*.ipynb")
            .Where(p => NumberedNotebook().IsMatch(Path.GetFileName(p)))
            .Where(p => filters.Count == 0 || filters.Any(f => Path.GetFileName(p).Contains(f, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal).ToList();
        if (notebooks.Count == 0)
            throw new CliException(filters.Count == 0 ? "no notebooks/NN-*.ipynb found." : $"no notebook name contains {string.Join(" or ", filters)}.");

        var console = AnsiConsole.Console; // created now, before kernels redirect Console.Out, so the display keeps the real terminal
        if (build && !await LibraryBuild.EnsureAsync(console)) return 1;

        string notebookDir = RunOutput.NotebookFolder(output), bookDir = RunOutput.BookFolder(output);
        foreach (string leftover in RunOutput.DeleteLeftovers(output)) // a killed run's temporary files
            console.MarkupLineInterpolated($"[grey]removed {Path.GetRelativePath(Repo.Root, leftover)}, left by an interrupted run[/]");
        Directory.CreateDirectory(notebookDir);
        Directory.CreateDirectory(bookDir);
        NotebookHtml.WriteAssets(bookDir);
        var done = new List<(NotebookResult Result, string Page)>();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var tasks = notebooks.ToDictionary(p => Path.GetFileName(p), p => progress.AddTask(Markup.Escape(Path.GetFileName(p)), autoStart: false));
                var runner = new NotebookRunner(new NotebookRunnerOptions
                {
                    CellTimeout = cellTimeout,
                    Progress = p =>
                    {
                        var task = tasks[p.Notebook];
                        task.MaxValue = p.CellCount;
                        task.Value = Math.Min(p.Cell - 1, p.CellCount);
                        task.Description = Markup.Escape(p.Cell > p.CellCount ? $"{p.Notebook} done" : $"{p.Notebook} cell {p.Cell}/{p.CellCount}");
                    },
                });
                foreach (var path in notebooks)
                {
                    string name = Path.GetFileName(path);
                    tasks[name].StartTask();
                    var executed = await runner.RunAndSaveAsync(path, Path.Combine(notebookDir, name));
                    string page = Path.ChangeExtension(name, ".html");
                    AtomicFile.WriteText(Path.Combine(bookDir, page), NotebookHtml.RenderPage(executed.Document, executed.Result, name));
                    tasks[name].Description = Markup.Escape(executed.Result.Succeeded ? $"{name} ok" : $"{name} FAILED at cell {executed.Result.FirstFailure!.Number}");
                    tasks[name].StopTask();
                    done.Add((executed.Result, page));
                }
            });
        // Every page in the book folder, not only this run's: a filtered run (`run 02 03`) keeps the others listed.
        AtomicFile.WriteText(Path.Combine(bookDir, "index.html"), NotebookHtml.RenderIndex(bookDir, done));

        var table = new Table().AddColumns("notebook", "status", "time", "code cells");
        foreach (var (result, _) in done)
        {
            table.AddRow(
                Markup.Escape(result.Name),
                result.Succeeded ? "[green]ok[/]" : $"[red]failed at cell {result.FirstFailure!.Number}[/]",
                $"{result.Elapsed.TotalSeconds:F1} s",
                result.Cells.Count(c => c.Status is CellStatus.Succeeded or CellStatus.Failed).ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
        foreach (var (result, _) in done.Where(d => !d.Result.Succeeded))
            console.MarkupLineInterpolated($"[red]{result.Summary}[/]");
        console.MarkupLineInterpolated($"executed notebooks: {Path.GetRelativePath(Repo.Root, notebookDir)}/   book: {Path.GetRelativePath(Repo.Root, Path.Combine(bookDir, "index.html"))}");
        return done.All(d => d.Result.Succeeded) ? 0 : 1;
    }

    [GeneratedRegex(@"^\d\d-.*\.ipynb$")]
    private static partial Regex NumberedNotebook();
}

/// <summary>Builds lib/WorkshopKit when its output is missing or older than its sources, since notebooks reference that build by path.</summary>
internal static class LibraryBuild
{
    public static string Project => Path.Combine(Repo.Root, "lib", "WorkshopKit");
    public static string Output => Path.Combine(Project, "bin", "Debug", "net10.0", "WorkshopKit.dll");

    public static bool IsUpToDate()
    {
        if (!File.Exists(Output)) return false;
        var built = File.GetLastWriteTimeUtc(Output);
        var inputs = Directory.EnumerateFiles(Project, "*.*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(Directory.EnumerateFiles(Repo.Root, "Directory.*.props"));
        return inputs.All(f => File.GetLastWriteTimeUtc(f) <= built);
    }

    public static async Task<bool> EnsureAsync(IAnsiConsole console)
    {
        if (IsUpToDate()) { console.MarkupLine("[grey]lib/WorkshopKit is up to date[/]"); return true; }
        console.MarkupLine("building lib/WorkshopKit ...");
        var watch = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet", ["build", Project, "-nologo", "-v", "quiet"]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new CliException("could not start `dotnet build`.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode == 0) { console.MarkupLineInterpolated($"[grey]built lib/WorkshopKit in {watch.Elapsed.TotalSeconds:F1} s[/]"); return true; }
        console.WriteLine(await stdout + await stderr);
        console.MarkupLine("[red]`dotnet build lib/WorkshopKit` failed; the notebooks need it.[/]");
        return false;
    }
}
