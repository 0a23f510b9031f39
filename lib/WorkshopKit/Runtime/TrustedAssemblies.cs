namespace WorkshopKit.Runtime;

/// <summary>
/// Looks up the app's trusted platform assemblies (the runtime's list of every assembly the app may load by name) without
/// loading any of them. The module initializer asks it twice per start, so it walks the one long string in place instead
/// of splitting it into a few hundred paths.
/// </summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it.</remarks>
internal static class TrustedAssemblies
{
    /// <summary>The full path of the trusted assembly whose file is named <paramref name="fileName"/> (e.g. <c>TorchSharp.dll</c>); null when there is none.</summary>
    public static string? Find(string fileName)
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
