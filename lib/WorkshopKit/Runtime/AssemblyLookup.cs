namespace WorkshopKit.Runtime;

/// <summary>
/// Finds assemblies without loading any: among those already loaded, and in the app's trusted platform assemblies (the
/// runtime's list of every assembly the app may load by name). The module initializer asks both at every start, so both
/// avoid the costly routes: no AssemblyName per loaded assembly, no split of the one long trusted list.
/// </summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it.</remarks>
internal static class AssemblyLookup
{
    /// <summary>
    /// The already loaded assembly named <paramref name="name"/> (e.g. <c>TorchSharp</c>), or null. It compares the start of
    /// FullName ("Name, Version=..."), which the runtime keeps, instead of GetName(), which builds and parses an AssemblyName
    /// for each of the few hundred assemblies a notebook kernel has loaded.
    /// </summary>
    public static System.Reflection.Assembly? Loaded(string name)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            string? fullName = assembly.FullName;
            if (fullName is not null && fullName.Length > name.Length && fullName[name.Length] == ','
                && fullName.StartsWith(name, StringComparison.Ordinal)) return assembly;
        }
        return null;
    }

    /// <summary>The full path of the trusted assembly whose file is named <paramref name="fileName"/> (e.g. <c>TorchSharp.dll</c>); null when there is none.</summary>
    public static string? Trusted(string fileName)
    {
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string list) return null;
        char separator = Path.PathSeparator;
        // A plain loop rather than string.Split or IndexOf: the vectorized search routines behind those are compiled again
        // at their first call on CPUs with wider vectors than the runtime's precompiled code assumes (AVX2, AVX-512),
        // a millisecond or more of every start here.
        int start = 0;
        while (start < list.Length)
        {
            int end = start;
            while (end < list.Length && list[end] != separator) end++;
            if (EndsWithFileName(list, start, end, fileName)) return list.Substring(start, end - start);
            start = end + 1;
        }
        return null;
    }

    /// <summary>True when <c>list[start..end)</c> is a path whose last part is exactly <paramref name="fileName"/>.</summary>
    private static bool EndsWithFileName(string list, int start, int end, string fileName)
    {
        int at = end - fileName.Length;
        if (at < start) return false;
        if (at > start && list[at - 1] != '/' && list[at - 1] != '\\') return false;
        for (int i = 0; i < fileName.Length; i++)
            if (list[at + i] != fileName[i]) return false;
        return true;
    }
}
