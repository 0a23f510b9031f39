namespace WorkshopKit.Notebooks.Tests;

internal static class RepoRoot
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds WorkshopKit.sln.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "WorkshopKit.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("WorkshopKit.sln not found above " + AppContext.BaseDirectory);
    }
}
