using Spectre.Console;
using WorkshopKit.Runtime;
using WorkshopKit.Setup;

namespace WorkshopKit.Cli;

/// <summary>
/// <c>doctor</c>, the pre-flight check attendees run first: how TorchSharp loads on this machine, which device WorkshopKit
/// picks, the state of the libtorch patch, and the notebook route (kernel, Jupyter, FSharp.Core, library build, shadowing
/// libtorch, offline charts), and a float32 convolution self-check, each problem with its fix. Exits with 1 when
/// anything would stop the notebooks or the self-check finds wrong results. <c>--conv-trials N</c> sets the self-check's
/// trials per case (default 2: every convolution the course trains, at batch 8 and 64, one and all threads; about 10 s on
/// 2 cores, twice that where the kit turned oneDNN off and the check also shows the uncured side).
/// </summary>
internal static class DoctorCommand
{
    public static int Execute(string[] args)
    {
        int trials = 2;
        if (args.Length == 2 && args[0] == "--conv-trials" && int.TryParse(args[1], out int n) && n is >= 1 and <= 1_000) trials = n;
        else if (args.Length > 0) throw new CliException("doctor takes no arguments but --conv-trials N (1 to 1,000 trials per case of the float32 convolution self-check).");
        bool machineOk = PrintMachineChecks();
        TorchRuntimeReport report;
        try
        {
            report = TorchRuntime.Initialize();
        }
        catch (TorchLoadException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]TorchSharp does not load:[/] {e.Message}");
            PrintPatchState();
            return Verdict(torchLoads: false, convOk: false, routeOk: PrintNotebookRoute() && machineOk);
        }
        AnsiConsole.WriteLine(report.ToString());
        var choice = Devices.Pick();
        AnsiConsole.MarkupLineInterpolated($"device:     [bold]{choice.Device}[/] ({choice.Reason})");
        PrintPatchState();
        bool convOk = PrintConvSelfCheck(trials);
        return Verdict(torchLoads: true, convOk, routeOk: PrintNotebookRoute() && machineOk);
    }

    /// <summary>
    /// Prints doctor's last line and returns the exit code, both from the same three facts, so they cannot disagree (the
    /// line once said "Ready" right after the notebook-route rows while a failed convolution self-check made the exit code 1).
    /// </summary>
    private static int Verdict(bool torchLoads, bool convOk, bool routeOk)
    {
        var fixes = new List<string>();
        if (!torchLoads) fixes.Add("TorchSharp does not load (the first line says why)");
        else if (!convOk) fixes.Add("float32 convolutions are wrong here (see the self-check's fix line)");
        if (!routeOk) fixes.Add("fix the FAIL rows above (each names its command)");
        Console.WriteLine(fixes.Count == 0 ? "Ready: the notebooks can run here." : $"Not ready: {string.Join("; ", fixes)}; then run doctor again.");
        return fixes.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Prints what the attendee's machine needs before any package arrives (glibc against libtorch's requirement, free disk,
    /// room pack or internet; <see cref="MachineChecks"/>), first, because a too-old glibc is also why TorchSharp then fails
    /// to load; false when one of them failed.
    /// </summary>
    private static bool PrintMachineChecks()
    {
        var checks = MachineChecks.Run(Repo.Root);
        Console.WriteLine("attendee machine");
        foreach (var c in checks)
        {
            string status = c.Status switch { RouteStatus.Ok => "ok  ", RouteStatus.Warn => "warn", _ => "FAIL" };
            Console.WriteLine($"  {status}  {c.Name,-18}  {c.Found}");
            if (c.Fix is not null) Console.WriteLine($"        {"",-18}  fix: {c.Fix}");
        }
        return checks.All(c => c.Status != RouteStatus.Fail);
    }

    /// <summary>Prints the float32 convolution self-check; false when it found wrong or non-finite results.</summary>
    private static bool PrintConvSelfCheck(int trials)
    {
        var result = ConvSelfCheck.Run(trials);
        Console.WriteLine(result.ToString());
        if (!result.Passed)
            Console.WriteLine(result.Backend == ConvSelfCheck.OneDnnBackend
                ? $"  fix: set {TorchRuntime.OneDnnVariable}=off (ATen's own convolutions) and run doctor again; if it still fails, use a GPU or a system PyTorch's libtorch (WORKSHOPKIT_LIBTORCH, see environment.md), and tell the instructor the CPU model"
                : "  fix: even ATen's own convolutions are wrong here: use a GPU or a system PyTorch's libtorch (WORKSHOPKIT_LIBTORCH, see environment.md), and tell the instructor the CPU model");
        return result.Passed;
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
        return checks.All(c => c.Status != RouteStatus.Fail);
    }

    private static void PrintPatchState()
    {
        bool? hostHasVersion = OperatingSystem.IsLinux() ? TorchRuntime.HostLibStdCxxDefines(TorchRuntime.UnusedGlibcxxVersion) : null;
        AnsiConsole.MarkupLineInterpolated($"libstdc++ defines {TorchRuntime.UnusedGlibcxxVersion}: {(hostHasVersion is null ? "n/a" : hostHasVersion.Value ? "yes (no patch needed)" : "no (patch needed)")}");
        bool? loaded = OperatingSystem.IsLinux() ? TorchRuntime.LoadedLibStdCxxSatisfiesBinding() : null;
        AnsiConsole.MarkupLineInterpolated($"libstdc++ loaded in this process (what the start-up patch asks): {(loaded is null ? "cannot be asked" : loaded.Value ? "defines it" : "lacks it")}");
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
