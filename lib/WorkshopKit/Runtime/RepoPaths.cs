namespace WorkshopKit.Runtime;

/// <summary>
/// Finds the repository (the folder holding <see cref="SolutionFile"/>) and other marker files by walking up from the
/// current directory and then from the application's base directory: the one copy of that walk for the library,
/// the command-line tool, the tests, the experiments and the benchmarks.
/// </summary>
/// <remarks>
/// Runtime plumbing: not taught; readers can skip it. <see cref="Data.Datasets.FindDataDirectory"/> (notebook 01) walks
/// with it. The book runner (tools/WorkshopKit.Runner) does not reference the library and is handed the root by its callers.
/// </remarks>
internal static class RepoPaths
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFile = "WorkshopKit.sln";

    /// <summary>Where a search starts when none is given: the current directory, then the application's base directory.</summary>
    public static IReadOnlyList<string> DefaultStarts() => [Directory.GetCurrentDirectory(), AppContext.BaseDirectory];

    /// <summary>
    /// The nearest folder at or above one of <paramref name="starts"/> (tried in order) that holds
    /// <paramref name="relativePath"/> as a file; null when none does.
    /// </summary>
    /// <param name="relativePath">A file path relative to the folder, e.g. <c>WorkshopKit.sln</c> or <c>data/MANIFEST.json</c>.</param>
    /// <param name="starts">Folders to start from; none means <see cref="DefaultStarts"/>.</param>
    public static string? FindAbove(string relativePath, params string[] starts)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        foreach (string start in starts.Length == 0 ? DefaultStarts() : starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, relativePath))) return dir.FullName;
        }
        return null;
    }

    /// <summary>The repository root above <paramref name="starts"/> (none: <see cref="DefaultStarts"/>), or null outside the repository.</summary>
    public static string? FindRoot(params string[] starts) => FindAbove(SolutionFile, starts);

    /// <summary>The repository root above <paramref name="starts"/> (none: <see cref="DefaultStarts"/>).</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the starts holds <see cref="SolutionFile"/>.</exception>
    public static string Root(params string[] starts) => FindRoot(starts)
        ?? throw new DirectoryNotFoundException($"No {SolutionFile} was found above {string.Join(" or ", (starts.Length == 0 ? DefaultStarts() : starts).Distinct())}; run from inside the WorkshopKit repository.");
}
