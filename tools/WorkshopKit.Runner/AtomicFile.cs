using System.Text;

namespace WorkshopKit.Runner;

/// <summary>
/// Writes files through a temporary file in the same folder (<c>.NAME.GUID.tmp</c>), flushed to disk, and a rename,
/// so readers never see half a file; the temporary file is deleted on failure.
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
}
