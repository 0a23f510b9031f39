using Spectre.Console;
using WorkshopKit.Runtime;
using WorkshopKit.Setup;

namespace WorkshopKit.Cli;

/// <summary>
/// <c>doctor</c>, the pre-flight check attendees run first: how TorchSharp loads on this machine, which device WorkshopKit
/// picks, the state of the libtorch patch, and the notebook route (kernel, Jupyter, FSharp.Core, library build, shadowing
/// libtorch, offline charts), each problem with its fix. Exits with 1 when anything would stop the notebooks.
/// </summary>
internal static class DoctorCommand
{
    public static int Execute(string[] args)
    {
        if (args.Length > 0) throw new CliException("doctor takes no arguments.");
        TorchRuntimeReport report;
        try
        {
            report = TorchRuntime.Initialize();
        }
        catch (TorchLoadException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]TorchSharp does not load:[/] {e.Message}");
            PrintPatchState();
            PrintNotebookRoute();
            return 1;
        }
        AnsiConsole.WriteLine(report.ToString());
        var choice = Devices.Pick();
        AnsiConsole.MarkupLineInterpolated($"device:     [bold]{choice.Device}[/] ({choice.Reason})");
        PrintPatchState();
        return PrintNotebookRoute() ? 0 : 1;
    }

    /// <summary>Prints the notebook-route checks; false when one of them failed.</summary>
    private static bool PrintNotebookRoute()
    {
        var checks = NotebookRouteChecks.Run(Repo.Root);
        // One line per check and the fix on its own line, unwrapped, so that a fix command can be copied as it is.
        Console.WriteLine("notebook route");
        foreach (var c in checks)
        {
            string status = c.Status switch { RouteStatus.Ok => "ok  ", RouteStatus.Warn => "warn", _ => "FAIL" };
            Console.WriteLine($"  {status}  {c.Name,-18}  {c.Found}");
            if (c.Fix is not null) Console.WriteLine($"        {"",-18}  fix: {c.Fix}");
        }
        bool ok = checks.All(c => c.Status != RouteStatus.Fail);
        Console.WriteLine(ok ? "Ready: the notebooks can run here." : "Not ready: fix the FAIL rows above (each names its command), then run doctor again.");
        return ok;
    }

    private static void PrintPatchState()
    {
        bool? hostHasVersion = OperatingSystem.IsLinux() ? TorchRuntime.HostLibStdCxxDefines(TorchRuntime.UnusedGlibcxxVersion) : null;
        AnsiConsole.MarkupLineInterpolated($"libstdc++ defines {TorchRuntime.UnusedGlibcxxVersion}: {(hostHasVersion is null ? "n/a" : hostHasVersion.Value ? "yes (no patch needed)" : "no (patch needed)")}");
        var table = new Table().AddColumns("libLibTorchSharp.so", $"{TorchRuntime.UnusedGlibcxxVersion} requirement");
        foreach (var path in TorchRuntime.LibTorchSharpCandidates())
        {
            string state;
            try
            {
                var need = ElfVersionNeeds.Read(path).FirstOrDefault(n => n.Version == TorchRuntime.UnusedGlibcxxVersion);
                state = need is null ? "none" : need.IsWeak ? "weak (patched)" : "strict (unpatched)";
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                state = "unreadable: " + e.Message;
            }
            table.AddRow(Markup.Escape(path), state);
        }
        AnsiConsole.Write(table);
    }
}
