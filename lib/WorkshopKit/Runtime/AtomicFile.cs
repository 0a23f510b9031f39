using System.Text;

namespace WorkshopKit.Runtime;

/// <summary>
/// Writes a file so that readers see the old content or the new, never half of it: the bytes go to a temporary file
/// in the same folder (<c>.NAME.GUID.tmp</c>, so the rename cannot cross file systems), are flushed to disk, and the
/// temporary file is renamed over the target; on failure it is deleted. A crash between the steps can leave a
/// temporary file behind, which <see cref="DeleteLeftovers"/> removes.
/// </summary>
/// <remarks>
/// Runtime plumbing: not taught; readers can skip it. The one copy for the library, the dataset builder and the
/// command-line tool; the book runner (tools/WorkshopKit.Runner), which does not reference the library, has its own.
/// </remarks>
internal static class AtomicFile
{
    private const string Suffix = ".tmp";

    /// <summary>Writes <paramref name="path"/> by calling <paramref name="write"/> on a temporary file, then moving it into place.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{Suffix}");
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

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, as UTF-8 without a byte-order mark unless <paramref name="encoding"/> says otherwise (what <see cref="File.WriteAllText(string, string?)"/> writes).</summary>
    public static void WriteAllText(string path, string text, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var e = encoding ?? new UTF8Encoding(false);
        Write(path, stream =>
        {
            stream.Write(e.GetPreamble());
            stream.Write(e.GetBytes(text));
        });
    }

    /// <summary>
    /// Deletes the temporary files that an interrupted <see cref="Write"/> left in <paramref name="folder"/> (only names of
    /// this class's own pattern, <c>.NAME.32-hex-digits.tmp</c>); returns the paths deleted. A missing folder has none.
    /// </summary>
    /// <param name="folder">The folder to clean.</param>
    /// <param name="olderThan">Only files last written longer ago than this (default: any age); keeps a concurrent writer's file alive.</param>
    public static IReadOnlyList<string> DeleteLeftovers(string folder, TimeSpan? olderThan = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var deleted = new List<string>();
        if (!Directory.Exists(folder)) return deleted;
        foreach (string path in Directory.GetFiles(folder, ".*" + Suffix))
        {
            if (!IsLeftoverName(Path.GetFileName(path))) continue;
            if (olderThan is { } age && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < age) continue;
            try { File.Delete(path); deleted.Add(path); }
            catch (IOException) { } // another process holds it: not a leftover after all
        }
        return deleted;
    }

    /// <summary>True for names of the pattern <c>.NAME.GUID.tmp</c> (GUID: 32 hex digits) that <see cref="Write"/> uses.</summary>
    internal static bool IsLeftoverName(string fileName)
    {
        if (!fileName.StartsWith('.') || !fileName.EndsWith(Suffix, StringComparison.Ordinal)) return false;
        string stem = fileName[..^Suffix.Length];
        int dot = stem.LastIndexOf('.');
        if (dot <= 1) return false;
        string guid = stem[(dot + 1)..];
        return guid.Length == 32 && guid.All(Uri.IsHexDigit);
    }
}
