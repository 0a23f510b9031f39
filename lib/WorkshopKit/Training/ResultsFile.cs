using WorkshopKit.Data;

namespace WorkshopKit.Training;

/// <summary>Where a saved results file lives and how outputs name it (from the repository root, never the checkout's absolute path).</summary>
internal static class ResultsFile
{
    public static (string Path, string Shown) Locate(string? dataDirectory, string folder, string file)
    {
        string data = dataDirectory ?? Datasets.FindDataDirectory();
        string path = System.IO.Path.Combine(data, "results", folder, file);
        string shown = System.IO.Path.GetRelativePath(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(data).TrimEnd(System.IO.Path.DirectorySeparatorChar)) ?? data, path).Replace('\\', '/');
        return (path, shown);
    }
}
