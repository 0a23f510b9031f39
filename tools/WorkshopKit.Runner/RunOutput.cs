namespace WorkshopKit.Runner;

/// <summary>
/// The folders that <c>run</c> writes under its output folder (by default artifacts/): <c>notebooks/</c> (executed
/// copies) and <c>book/</c> (the HTML book), and the clean-up that starts every run.
/// </summary>
public static class RunOutput
{
    /// <summary>Where the executed notebooks go: <c>OUTPUT/notebooks</c>.</summary>
    public static string NotebookFolder(string output) => Path.Combine(output, "notebooks");

    /// <summary>Where the HTML book goes: <c>OUTPUT/book</c>.</summary>
    public static string BookFolder(string output) => Path.Combine(output, "book");

    /// <summary>
    /// Deletes the temporary files (<c>.NAME.GUID.tmp</c>, see <see cref="AtomicFile.DeleteLeftovers"/>) that a killed
    /// run left in the notebook and book folders; other files stay. Returns the paths deleted.
    /// </summary>
    public static IReadOnlyList<string> DeleteLeftovers(string output)
    {
        ArgumentException.ThrowIfNullOrEmpty(output);
        return [.. AtomicFile.DeleteLeftovers(NotebookFolder(output)), .. AtomicFile.DeleteLeftovers(BookFolder(output))];
    }
}
