using System.Text;

namespace WorkshopKit.Runner;

/// <summary>
/// Writes files through a temporary file in the same folder (<c>.NAME.GUID.tmp</c>), flushed to disk, and a rename,
/// so readers never see half a file; the temporary file is deleted on failure. A process killed mid-write leaves its
/// temporary file behind; <see cref="DeleteLeftovers"/> removes such files (the CLI calls it at the start of each command
/// on the folders it writes).
/// </summary>
/// <remarks>
/// The runner's own copy of the library's <c>WorkshopKit.Runtime.AtomicFile</c> (same steps, same temporary names):
/// the runner does not reference the library, so that the only WorkshopKit in its process is the one the notebooks it
/// runs load with their own <c>#r</c>; it cannot call the library's copy. Keep the two in step.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> by calling <paramref name="write"/> on a temporary file, then moving it into place.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes text as UTF-8 (no byte-order mark) through a temporary file.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>
    /// Deletes the temporary files that an interrupted <see cref="Write"/> left in <paramref name="folder"/> (only names of
    /// this class's own pattern, <c>.NAME.32-hex-digits.tmp</c>; not recursive); returns the paths deleted. A missing
    /// folder has none.
    /// </summary>
    public static IReadOnlyList<string> DeleteLeftovers(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var deleted = new List<string>();
        if (!Directory.Exists(folder)) return deleted;
        foreach (string path in Directory.GetFiles(folder, ".*.tmp"))
        {
            if (!IsLeftoverName(Path.GetFileName(path))) continue;
            try { File.Delete(path); deleted.Add(path); }
            catch (IOException) { } // another process holds it: not a leftover after all
        }
        return deleted;
    }

    /// <summary>True for names of the pattern <c>.NAME.GUID.tmp</c> (GUID: 32 hex digits) that <see cref="Write"/> uses.</summary>
    public static bool IsLeftoverName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (!fileName.StartsWith('.') || !fileName.EndsWith(".tmp", StringComparison.Ordinal)) return false;
        string stem = fileName[..^".tmp".Length];
        int dot = stem.LastIndexOf('.');
        if (dot <= 1) return false;
        string guid = stem[(dot + 1)..];
        return guid.Length == 32 && guid.All(Uri.IsHexDigit);
    }
}
