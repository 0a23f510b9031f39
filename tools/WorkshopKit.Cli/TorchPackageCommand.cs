using Spectre.Console;
using WorkshopKit.Runner;

namespace WorkshopKit.Cli;

/// <summary>
/// <c>torch-package [name]</c>: the switch between this platform's CPU libtorch (<c>TorchSharp</c>, the default), all three
/// platforms' (<c>TorchSharp-cpu</c>) and CUDA. With a name it sets TorchSharpPackage in Directory.Build.props and rewrites
/// every notebook's <c>#r "nuget: TorchSharp..."</c> line; without one it checks that they agree. The CPU platform needs no
/// choice: Directory.Build.props adds the libtorch of the runtime identifier being built, and a notebook finds it in the NuGet
/// cache, where the library's build put it.
/// </summary>
internal static class TorchPackageCommand
{
    public static int Execute(string[] args)
    {
        if (args.Length > 1) throw new CliException("torch-package takes at most one argument: " + string.Join(" | ", TorchPackageSetting.KnownPackages));
        string root = Repo.Root;
        if (args.Length == 1)
        {
            if (!TorchPackageSetting.KnownPackages.Contains(args[0]))
                throw new CliException($"'{args[0]}' is not a supported package; use one of {string.Join(", ", TorchPackageSetting.KnownPackages)}.");
            var changed = TorchPackageSetting.Apply(root, args[0]);
            foreach (var file in changed) AnsiConsole.MarkupLineInterpolated($"updated {Path.GetRelativePath(root, file)}");
            if (changed.Count == 0) AnsiConsole.MarkupLineInterpolated($"already {args[0]} everywhere; nothing changed");
            AnsiConsole.MarkupLine("Rebuild with [bold]dotnet build lib/WorkshopKit[/] (TorchSharp: this platform's libtorch, about 144 MB on linux-x64; TorchSharp-cpu: 306 MB; CUDA packages: about 3 GB from nuget.org, once).");
        }
        string expected = TorchPackageSetting.ReadBuildProperty(root);
        var table = new Table().AddColumns("file", "TorchSharp package", "agrees");
        table.AddRow("Directory.Build.props", expected, "source of truth");
        foreach (var notebook in TorchPackageSetting.Notebooks(root).Select(TorchPackageSetting.ReadNotebook))
            table.AddRow(Markup.Escape(Path.GetRelativePath(root, notebook.NotebookPath)), notebook.Package ?? "(none)",
                notebook.Package is null ? "n/a" : notebook.Package == expected ? "[green]yes[/]" : "[red]NO[/]");
        AnsiConsole.Write(table);
        var disagreements = TorchPackageSetting.Disagreements(root, expected);
        if (disagreements.Count == 0) return 0;
        AnsiConsole.MarkupLineInterpolated($"[red]{disagreements.Count} notebook(s) disagree with Directory.Build.props.[/] Run: dotnet run --project tools/WorkshopKit.Cli -- torch-package {expected}");
        return 1;
    }
}
