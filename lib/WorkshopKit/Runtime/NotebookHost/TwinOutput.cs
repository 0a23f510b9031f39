using Plotly.NET;
using TorchSharp;
using WorkshopKit.Data;
using WorkshopKit.Runtime;

namespace WorkshopKit.Runtime.NotebookHost;

/// <summary>
/// What <c>display(x)</c> does in a notebook's file-based twin (see twins/): text goes to the console, charts
/// go to self-contained HTML files (plotly.js embedded, so they open offline) under <c>twins/out/NAME/</c>.
/// </summary>
/// <remarks>Plumbing for the file-based twins (twins/*.cs), not taught.</remarks>
internal static class TwinOutput
{
    private static string? folder;
    private static int charts;

    /// <summary>Where this twin's charts are written (null before <see cref="Start"/>).</summary>
    public static string? Folder => folder;

    /// <summary>Number of charts written so far by this twin.</summary>
    public static int ChartCount => charts;

    /// <summary>
    /// Starts a twin: prepares TorchSharp and the output folder next to the twin (or under <c>WORKSHOPKIT_TWIN_OUT</c>),
    /// and makes a missing or damaged data file (<see cref="DataFileException"/>) end the twin with its message on
    /// stderr and exit code 1 instead of a crash with a stack trace (exit 134).
    /// </summary>
    public static void Start(string notebookName)
    {
        AppDomain.CurrentDomain.UnhandledException -= EndOnDataFileProblem;
        AppDomain.CurrentDomain.UnhandledException += EndOnDataFileProblem;
        TorchRuntime.Initialize();
        string root = Environment.GetEnvironmentVariable("WORKSHOPKIT_TWIN_OUT")
            ?? Path.Combine(Directory.GetCurrentDirectory(), File.Exists("WorkshopKit.sln") ? "twins" : ".", "out");
        folder = Path.Combine(root, notebookName);
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder, "chart-*.html")) File.Delete(old);
        AtomicFile.DeleteLeftovers(folder);
        charts = 0;
        Console.WriteLine($"== {notebookName} (file-based twin; charts go to {folder})");
    }

    /// <summary>Shows one value the way a console can: charts as files, WorkshopKit results and tensors as text.</summary>
    public static void Show(object? value)
    {
        switch (value)
        {
            case null:
                Console.WriteLine("null");
                break;
            case GenericChart chart:
                charts++;
                string path = Path.Combine(folder ?? Directory.GetCurrentDirectory(), $"chart-{charts:00}.html");
                WriteChartHtml(chart, path);
                Console.WriteLine($"[chart {charts} written to {path}]");
                break;
            case torch.Tensor tensor:
                Console.WriteLine(tensor.ToString(TensorStringStyle.Julia));
                break;
            default:
                Console.WriteLine(value.ToString());
                break;
        }
    }

    /// <summary>The message a twin prints when <paramref name="error"/> is or wraps a <see cref="DataFileException"/>, else null.</summary>
    public static string? DataFileMessage(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is DataFileException data) return data.Message;
        return null;
    }

    // A twin is a top-level program: this is its one place to turn the kit's "data file missing" into a clean exit.
    private static void EndOnDataFileProblem(object sender, UnhandledExceptionEventArgs args)
    {
        if (DataFileMessage(args.ExceptionObject as Exception) is not { } message) return; // other errors crash as usual
        Console.Out.Flush();
        Console.Error.WriteLine(message);
        Console.Error.Flush();
        Environment.Exit(1);
    }

    /// <summary>Ends a twin with a one-line summary.</summary>
    public static void Finish() => Console.WriteLine($"== done ({charts} chart(s) in {folder})");

    /// <summary>Writes a chart as a standalone HTML page with plotly.js embedded (no network needed to view it).</summary>
    public static void WriteChartHtml(GenericChart chart, string path)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var options = DisplayOptions.setPlotlyReference(PlotlyJSReference.Full).Invoke(new DisplayOptions());
        string html = GenericChart.toEmbeddedHTML(GenericChart.addDisplayOptions(options, chart));
        AtomicFile.WriteAllText(path, html);
    }
}
