using Spectre.Console;
using WorkshopKit.Runner;

namespace WorkshopKit.Cli;

/// <summary>
/// <c>student [--core] [--out folder]</c>: writes attendee copies of every notebook (solutions removed, outputs cleared);
/// with <c>--core</c> only the 3-hour core path (optional sections left out), by default to artifacts/student-core/ so
/// the two kinds of copy are never mixed in one folder.
/// </summary>
internal static class StudentCommand
{
    public static int Execute(string[] args)
    {
        string? output = null;
        bool core = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length) output = Path.GetFullPath(args[++i]);
            else if (args[i] == "--core") core = true;
            else throw new CliException($"student takes only --core and --out <folder>, not '{args[i]}'.");
        }
        output ??= Path.Combine(Repo.Root, "artifacts", core ? "student-core" : "student");
        AtomicFile.DeleteLeftovers(output); // temporary files of a killed earlier run
        var table = new Table().AddColumns("notebook", "solutions removed", "optional cells left out");
        foreach (var notebook in Directory.GetFiles(Path.Combine(Repo.Root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
        {
            int removed = StudentCopies.Write(notebook, Path.Combine(output, Path.GetFileName(notebook)), coreOnly: core);
            int leftOut = core ? CorePath.CoreCells(IpynbJson.Load(notebook)).Count(c => !c) : 0;
            table.AddRow(Path.GetFileName(notebook), removed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                leftOut.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{(core ? "core-path attendee copies" : "attendee copies")} written to {output}");
        AnsiConsole.MarkupLine("Hand these out; keep notebooks/ (with solutions) for the instructor.");
        return 0;
    }
}
