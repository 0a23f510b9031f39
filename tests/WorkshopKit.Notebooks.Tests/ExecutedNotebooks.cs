using System.Collections.Concurrent;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>
/// Runs each repository notebook at most once per test process, so that the execution test and the HTML test share
/// one run (a notebook run costs seconds: NuGet resolution and TorchSharp start-up).
/// </summary>
internal static class ExecutedNotebooks
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<ExecutedNotebook>>> Runs = new(StringComparer.Ordinal);

    public static Task<ExecutedNotebook> Get(string fileName) =>
        Runs.GetOrAdd(fileName, name => new Lazy<Task<ExecutedNotebook>>(
            () => new NotebookRunner(new NotebookRunnerOptions { CellTimeout = TimeSpan.FromMinutes(5) })
                .RunAsync(Path.Combine(RepoRoot.Path, "notebooks", name)))).Value;

    /// <summary>Every notebook in notebooks/, by file name, for theories.</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }
}
