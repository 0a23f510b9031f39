using System.Diagnostics;
using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace WorkshopKit.Runner;

/// <summary>Settings of a <see cref="NotebookRunner"/>.</summary>
public sealed class NotebookRunnerOptions
{
    /// <summary>Longest time one cell may take; null (the default) means no limit. A cell that runs over fails the notebook.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Called before each code cell and once at the end of each notebook (optional).</summary>
    public Action<RunProgress>? Progress { get; init; }

    /// <summary>Receives diagnostic lines, e.g. which kernel extensions were loaded (optional).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>A notebook after execution: the document with outputs filled in, and the per-cell results.</summary>
/// <param name="Document">The notebook with each code cell's outputs replaced by this run's outputs.</param>
/// <param name="Result">Per-cell status and timing.</param>
public sealed record ExecutedNotebook(InteractiveDocument Document, NotebookResult Result);

/// <summary>
/// Executes .ipynb notebooks in this process with .NET Interactive: it reads the file, runs the code cells in order in a
/// fresh C# kernel (with <c>#r "nuget: ..."</c> and package kernel extensions), records every output into the document,
/// and stops at the first failing cell. Runs change the process's working directory to the notebook's folder (notebooks
/// reference the library by a relative path), so run one notebook at a time per process.
/// </summary>
public sealed class NotebookRunner(NotebookRunnerOptions? options = null)
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);
    private readonly NotebookRunnerOptions options = options ?? new NotebookRunnerOptions();

    /// <summary>The kernels the runner offers to documents: C# (default) and markdown (never executed).</summary>
    public static KernelInfoCollection KernelInfos()
    {
        var infos = new KernelInfoCollection
        {
            new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", "C#", ["c#", "C#", "cs"]),
            new Microsoft.DotNet.Interactive.Documents.KernelInfo("markdown", "Markdown", ["md"]),
        };
        infos.DefaultKernelName = "csharp";
        return infos;
    }

    /// <summary>Reads an .ipynb file into a document.</summary>
    /// <exception cref="FileNotFoundException">The notebook does not exist.</exception>
    public static InteractiveDocument Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Notebook '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return Notebook.Read(stream, KernelInfos());
    }

    /// <summary>Writes a document as .ipynb, through a temporary file so that a crash never leaves half a notebook.</summary>
    public static void Write(InteractiveDocument document, string path)
    {
        AtomicFile.Write(path, stream => Notebook.Write(document, stream, KernelInfos()));
    }

    /// <summary>
    /// Each notebook is its own page in a client, so its first chart must carry plotly.js again. The real kernel starts a
    /// process per notebook; this runner keeps one process, so it tells every loaded WorkshopKit to start a new chart
    /// session (lib/WorkshopKit/Runtime/NotebookHost/NotebookChart.ResetSession). Reflection, because the runner does not reference the
    /// library: notebooks load their own build of it.
    /// </summary>
    private static void StartChartSession()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetName().Name != "WorkshopKit") continue;
            assembly.GetType("WorkshopKit.Runtime.NotebookHost.NotebookChart")?.GetMethod("ResetSession")?.Invoke(null, null);
        }
    }

    /// <summary>Runs the notebook at <paramref name="path"/> and returns the executed document and the results.</summary>
    public async Task<ExecutedNotebook> RunAsync(string path, CancellationToken cancellationToken = default)
    {
        string fullPath = Path.GetFullPath(path);
        var document = Read(fullPath);
        await OneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        string previousDirectory = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(fullPath)!;
            var result = await ExecuteAsync(fullPath, document, cancellationToken).ConfigureAwait(false);
            return new ExecutedNotebook(document, result);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            OneAtATime.Release();
        }
    }

    /// <summary>Runs the notebook and saves the executed copy at <paramref name="outputPath"/> (also when a cell failed, so the error can be read there).</summary>
    public async Task<ExecutedNotebook> RunAndSaveAsync(string path, string outputPath, CancellationToken cancellationToken = default)
    {
        var executed = await RunAsync(path, cancellationToken).ConfigureAwait(false);
        Write(executed.Document, outputPath);
        return executed;
    }

    private async Task<NotebookResult> ExecuteAsync(string path, InteractiveDocument document, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        var cells = document.Elements;
        var results = new List<CellResult>(cells.Count);
        var total = Stopwatch.StartNew();
        using var kernel = KernelFactory.Create(options.Log);
        StartChartSession();
        bool failed = false;
        int executionOrder = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            int number = i + 1;
            string kernelName = cell.KernelName ?? "csharp";
            if (!IsCode(kernelName))
            {
                results.Add(new CellResult(number, kernelName, CellStatus.Skipped, TimeSpan.Zero, null));
                continue;
            }
            if (failed)
            {
                cell.Outputs.Clear();
                results.Add(new CellResult(number, kernelName, CellStatus.NotRun, TimeSpan.Zero, null));
                continue;
            }
            options.Progress?.Invoke(new RunProgress(name, number, cells.Count, total.Elapsed));
            var watch = Stopwatch.StartNew();
            string? error;
            if (kernel.FindKernelByName(kernelName) is null)
            {
                error = $"this cell uses the '{kernelName}' kernel, but the WorkshopKit runner provides only C# ('csharp'). Change the cell's language to C#.";
                cell.Outputs.Clear();
                cell.Outputs.Add(new ErrorElement(error, "UnsupportedKernel", []));
            }
            else
            {
                cell.ExecutionOrder = ++executionOrder;
                error = await RunCellAsync(kernel, cell, kernelName, cancellationToken).ConfigureAwait(false);
            }
            watch.Stop();
            failed = error is not null;
            results.Add(new CellResult(number, kernelName, failed ? CellStatus.Failed : CellStatus.Succeeded, watch.Elapsed, error));
        }
        total.Stop();
        options.Progress?.Invoke(new RunProgress(name, cells.Count + 1, cells.Count, total.Elapsed));
        return new NotebookResult(path, results, total.Elapsed);
    }

    private static bool IsCode(string kernelName) =>
        !kernelName.Equals("markdown", StringComparison.OrdinalIgnoreCase) && !kernelName.Equals("md", StringComparison.OrdinalIgnoreCase)
        && !kernelName.Equals("raw", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs one cell; returns null on success or the error message.</summary>
    private async Task<string?> RunCellAsync(CompositeKernel kernel, InteractiveDocumentElement cell, string kernelName, CancellationToken cancellationToken)
    {
        cell.Outputs.Clear();
        var displays = new Dictionary<string, DisplayElement>(StringComparer.Ordinal);
        var command = new SubmitCode(cell.Contents, kernelName == "csharp" ? null : kernelName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.CellTimeout is { } limit) timeout.CancelAfter(limit);
        var send = kernel.SendAsync(command, timeout.Token);
        KernelCommandResult? result = null;
        try
        {
            // The kernel may ignore cancellation while user code runs, so wait for whichever comes first.
            var finished = await Task.WhenAny(send, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);
            if (finished == send) result = await send.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The time limit cancelled the command itself.
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (result is null || (timeout.IsCancellationRequested && options.CellTimeout is not null && result.Events.OfType<CommandFailed>().Any()))
        {
            string message = $"the cell did not finish within the time limit of {options.CellTimeout!.Value.TotalSeconds:0.###} s.";
            cell.Outputs.Add(new ErrorElement(message, "Timeout", []));
            return message;
        }
        string? error = null;
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case DisplayedValueUpdated update when update.ValueId is not null && displays.TryGetValue(update.ValueId, out var existing):
                    existing.Data.Clear();
                    foreach (var (mime, value) in ToData(update.FormattedValues)) existing.Data[mime] = value;
                    break;
                case ReturnValueProduced returned:
                    var element = new ReturnValueElement { ExecutionOrder = cell.ExecutionOrder };
                    foreach (var (mime, value) in ToData(returned.FormattedValues)) element.Data[mime] = value;
                    cell.Outputs.Add(element);
                    break;
                case StandardOutputValueProduced stdout:
                    AddText(cell, Text(stdout.FormattedValues), "stdout");
                    break;
                case StandardErrorValueProduced stderr:
                    AddText(cell, Text(stderr.FormattedValues), "stderr");
                    break;
                case ErrorProduced produced:
                    cell.Outputs.Add(new ErrorElement(produced.Message, "Error", []));
                    break;
                case DisplayEvent display:
                    var shown = new DisplayElement(ToData(display.FormattedValues));
                    if (display.ValueId is not null) displays[display.ValueId] = shown;
                    cell.Outputs.Add(shown);
                    break;
                case CommandFailed commandFailed:
                    // A runtime exception's Message is its full ToString (stack included): keep the stack for the
                    // notebook's traceback and report type and message only.
                    var exception = commandFailed.Exception;
                    error = exception is null ? commandFailed.Message : $"{exception.GetType().Name}: {exception.Message}";
                    cell.Outputs.Add(new ErrorElement(exception?.Message ?? commandFailed.Message, exception?.GetType().Name ?? "Error",
                        exception?.StackTrace?.Split('\n', StringSplitOptions.TrimEntries) ?? []));
                    break;
            }
        }
        return error;
    }

    private static void AddText(InteractiveDocumentElement cell, string text, string stream)
    {
        // Consecutive writes to one stream become one output, as Jupyter shows them.
        if (cell.Outputs.Count > 0 && cell.Outputs[^1] is TextElement last && last.Name == stream)
            cell.Outputs[^1] = new TextElement(last.Text + text, stream);
        else
            cell.Outputs.Add(new TextElement(text, stream));
    }

    private static string Text(IReadOnlyCollection<FormattedValue> values) =>
        (values.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType) ?? values.FirstOrDefault())?.Value ?? "";

    private static Dictionary<string, object> ToData(IReadOnlyCollection<FormattedValue> values)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var v in values) data[v.MimeType] = v.Value;
        return data;
    }
}
