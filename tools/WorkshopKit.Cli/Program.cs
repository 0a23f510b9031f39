using Spectre.Console;
using WorkshopKit.Cli;

// WorkshopKit's command-line tool: one class per command, this file only dispatches.
string command = args.Length > 0 ? args[0] : "help";
string[] rest = args.Skip(1).ToArray();
try
{
    return command switch
    {
        "run" => await RunCommand.ExecuteAsync(rest),
        "doctor" => DoctorCommand.Execute(rest),
        "torch-package" => TorchPackageCommand.Execute(rest),
        "room-pack" => RoomPackCommand.Execute(rest),
        "twins" => TwinsCommand.Execute(rest),
        "student" => StudentCommand.Execute(rest),
        "pacing" => await PacingCommand.ExecuteAsync(rest),
        "help" or "--help" or "-h" => Help.Show(),
        _ => Help.Unknown(command),
    };
}
catch (CliException e)
{
    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
    return 2;
}
