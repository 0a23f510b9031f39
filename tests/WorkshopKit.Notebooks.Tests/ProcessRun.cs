using System.Diagnostics;
using System.Text;

namespace WorkshopKit.Notebooks.Tests;

/// <summary>Runs a command line for a test: exit code, standard output and error interleaved, and the time it took.</summary>
internal static class ProcessRun
{
    /// <summary>Runs a command and returns its exit code, its standard output and error interleaved, and its time.</summary>
    public static (int Code, string Output, TimeSpan Elapsed) Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        // Spectre.Console wraps lines at 80 columns without a terminal; a wide one keeps each message on one line.
        start.Environment["COLUMNS"] = "400";
        var log = new StringBuilder();
        var timer = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, log + $"\n(killed after {timeout.TotalMinutes} minutes)", timer.Elapsed);
        }
        process.WaitForExit();
        return (process.ExitCode, log.ToString(), timer.Elapsed);
    }
}
