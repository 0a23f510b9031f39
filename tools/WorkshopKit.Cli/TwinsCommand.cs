using Spectre.Console;
using WorkshopKit.Runner;

namespace WorkshopKit.Cli;

/// <summary><c>twins [--check]</c>: regenerates twins/NN-*.cs, the file-based-app twin of each notebook, or with --check only reports stale ones.</summary>
internal static class TwinsCommand
{
    public static int Execute(string[] args)
    {
        bool check = args.Contains("--check");
        if (args.Any(a => a != "--check")) throw new CliException("twins takes only --check.");
        var differing = NotebookTwins.WriteAll(Repo.Root, check);
        foreach (var twin in differing)
            AnsiConsole.MarkupLineInterpolated($"{(check ? "[red]stale[/]" : "wrote")} {Path.GetRelativePath(Repo.Root, twin)}");
        if (differing.Count == 0) AnsiConsole.MarkupLine("all twins match their notebooks");
        return check && differing.Count > 0 ? 1 : 0;
    }
}
