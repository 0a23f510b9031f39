namespace WorkshopKit.Runtime;

/// <summary>Reads the libtorch package names out of the running app's <c>*.deps.json</c> (a text scan: no JSON parser at start-up).</summary>
internal static class DepsJson
{
    /// <summary>The libtorch packages named in the running app's dependency file (empty in notebooks, which have none).</summary>
    public static IReadOnlyList<string> LibTorchPackages()
    {
        var found = new List<string>();
        foreach (var deps in Directory.Exists(AppContext.BaseDirectory) ? Directory.GetFiles(AppContext.BaseDirectory, "*.deps.json") : [])
        {
            string text = File.ReadAllText(deps);
            foreach (var prefix in new[] { "\"libtorch-cpu-", "\"libtorch-cuda-" })
            {
                int i = 0;
                while ((i = text.IndexOf(prefix, i, StringComparison.Ordinal)) >= 0)
                {
                    int end = text.IndexOf('"', i + 1);
                    string name = text[(i + 1)..end];
                    if (!name.Contains('/', StringComparison.Ordinal)) { i = end; continue; }
                    if (!found.Contains(name)) found.Add(name);
                    i = end;
                }
            }
        }
        return found;
    }
}
