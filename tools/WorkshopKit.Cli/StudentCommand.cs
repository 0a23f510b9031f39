using Spectre.Console;
using WorkshopKit.Runner;

namespace WorkshopKit.Cli;

/// <summary><c>student [--out folder]</c>: writes attendee copies of every notebook (solutions removed, outputs cleared).</summary>
internal static class StudentCommand
{
    public static int Execute(string[] args)
    {
        string output = Path.Combine(Repo.Root, "artifacts", "student");
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length) output = Path.GetFullPath(args[++i]);
            else throw new CliException($"student takes only --out <folder>, not '{args[i]}'.");
        }
        AtomicFile.DeleteLeftovers(output); // temporary files of a killed earlier run
        var table = new Table().AddColumns("notebook", "solutions removed");
        foreach (var notebook in Directory.GetFiles(Path.Combine(Repo.Root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
        {
            int removed = StudentCopies.Write(notebook, Path.Combine(output, Path.GetFileName(notebook)));
            table.AddRow(Path.GetFileName(notebook), removed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"attendee copies written to {output}");
        AnsiConsole.MarkupLine("Hand these out; keep notebooks/ (with solutions) for the instructor.");
        return 0;
    }
}
