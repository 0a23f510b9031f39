namespace WorkshopKit.Runner;

/// <summary>What happened to one cell of a notebook run.</summary>
public enum CellStatus
{
    /// <summary>The cell ran without error.</summary>
    Succeeded,
    /// <summary>The cell raised an error (or timed out); later cells were not run.</summary>
    Failed,
    /// <summary>The cell is not code (markdown, raw), so there was nothing to run.</summary>
    Skipped,
    /// <summary>The cell was not reached because an earlier cell failed.</summary>
    NotRun,
}

/// <summary>The outcome of one cell.</summary>
/// <param name="Number">1-based position among ALL cells of the notebook (markdown included), as an editor shows it.</param>
/// <param name="Kernel">The cell's kernel name (<c>csharp</c>, <c>markdown</c>, ...).</param>
/// <param name="Status">Whether it ran, failed, or was skipped.</param>
/// <param name="Elapsed">Wall-clock time the cell took (zero when it did not run).</param>
/// <param name="Error">The error message of a failed cell, otherwise null.</param>
public sealed record CellResult(int Number, string Kernel, CellStatus Status, TimeSpan Elapsed, string? Error);

/// <summary>The outcome of a whole notebook: per-cell results, the total time, and where the executed copy went.</summary>
/// <param name="NotebookPath">The source .ipynb that was run.</param>
/// <param name="Cells">One result per cell, in document order.</param>
/// <param name="Elapsed">Wall-clock time of the run, kernel start-up included.</param>
public sealed record NotebookResult(string NotebookPath, IReadOnlyList<CellResult> Cells, TimeSpan Elapsed)
{
    /// <summary>The notebook's file name without folder, e.g. <c>00-setup.ipynb</c>.</summary>
    public string Name => Path.GetFileName(NotebookPath);

    /// <summary>True when no cell failed.</summary>
    public bool Succeeded => Cells.All(c => c.Status != CellStatus.Failed);

    /// <summary>The first failed cell, or null.</summary>
    public CellResult? FirstFailure => Cells.FirstOrDefault(c => c.Status == CellStatus.Failed);

    /// <summary>One line for logs and test messages: which cell failed and why, or that all cells passed.</summary>
    public string Summary => FirstFailure is { } f
        ? $"{Name}: cell {f.Number} of {Cells.Count} (counting all cells, markdown included) failed: {f.Error}"
        : $"{Name}: {Cells.Count(c => c.Status == CellStatus.Succeeded)} code cells succeeded in {Elapsed.TotalSeconds:F1} s";
}

/// <summary>Progress of a run, reported before each code cell starts and once when the notebook ends.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="Cell">1-based number of the cell about to run (counting all cells); equals <paramref name="CellCount"/> + 1 when done.</param>
/// <param name="CellCount">Number of cells in the notebook.</param>
/// <param name="Elapsed">Time since the notebook started.</param>
public sealed record RunProgress(string Notebook, int Cell, int CellCount, TimeSpan Elapsed);
