using WorkshopKit.Runtime;

namespace WorkshopKit.Notebooks.Tests;

internal static class RepoRoot
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds WorkshopKit.sln (<see cref="RepoPaths"/>).</summary>
    public static string Path { get; } = RepoPaths.FindRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException(RepoPaths.SolutionFile + " not found above " + AppContext.BaseDirectory);
}
