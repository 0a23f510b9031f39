using Spectre.Console;
using WorkshopKit.Setup;

namespace WorkshopKit.Cli;

/// <summary><c>doctor</c>: how TorchSharp loads on this machine, which device WorkshopKit picks, and the state of the libtorch patch.</summary>
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
            return 1;
        }
        AnsiConsole.WriteLine(report.ToString());
        var choice = Devices.Pick();
        AnsiConsole.MarkupLineInterpolated($"device:     [bold]{choice.Device}[/] ({choice.Reason})");
        PrintPatchState();
        return 0;
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
