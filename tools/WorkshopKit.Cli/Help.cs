using WorkshopKit.Runtime;
using Spectre.Console;

namespace WorkshopKit.Cli;

/// <summary>A user error the CLI reports as one line (exit code 2), without a stack trace.</summary>
internal class CliException(string message) : Exception(message);

/// <summary>The usage text.</summary>
internal static class Help
{
    public static int Show()
    {
        AnsiConsole.WriteLine("""
            WorkshopKit command-line tool

              run [filter...]           build the library, execute notebooks/NN-*.ipynb in order (only those whose name
                                        contains a filter, if given), write artifacts/notebooks/*.ipynb and the HTML book
                                        artifacts/book/index.html. Options: --no-build, --cell-timeout <seconds>,
                                        --out <folder> (default artifacts).
              doctor                    pre-flight check: TorchSharp, device, libtorch patch, and the notebook route (kernel, Jupyter, FSharp.Core, shadowing libtorch); exit 1 if not ready
              torch-package [package]   check that notebooks and Directory.Build.props name the same TorchSharp package,
                                        or switch both to TorchSharp (default: this platform's CPU libtorch only) |
                                        TorchSharp-cpu (all three platforms) | TorchSharp-cuda-windows | TorchSharp-cuda-linux
              room-pack <folder> [--platform linux-x64,win-x64,osx-arm64|all] [--offline]
                                        write a room pack: every package attendees on those platforms need (library,
                                        tools, notebooks' #r packages, the kernel and dotnet-repl), install scripts and the
                                        kit as a git bundle, for a USB stick or a LAN share (docs/room-pack.md);
                                        --offline: from this machine's NuGet cache only
              room-pack check <folder> [--platform ...]
                                        restore each platform from the pack alone into an empty folder; exit 1 naming
                                        every missing or damaged package
              room-pack --prefetch [--platform ...]
                                        fill this machine's NuGet cache for those platforms (online), nothing else
              twins [--check]           regenerate twins/NN-*.cs (each notebook as a file-based app), or only check them
              student [--core] [--out <folder>]
                                        write attendee copies of the notebooks (solutions removed) to artifacts/student/;
                                        --core: the 3-hour core path only (optional sections left out), to artifacts/student-core/
              pacing [--no-run] [--sections]
                                        the core path's minutes per notebook (stated rules plus the measured execution of
                                        each core copy); --no-run: rules only; --sections: every section with its mark
            """);
        return 0;
    }

    public static int Unknown(string command)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]unknown command '{command}'[/]");
        Show();
        return 2;
    }
}

/// <summary>The repository root: the nearest folder at or above the working directory (or the tool) that holds WorkshopKit.sln (<see cref="RepoPaths"/>).</summary>
internal static class Repo
{
    public static string Root { get; } = RepoPaths.FindRoot()
        ?? throw new CliException($"no {RepoPaths.SolutionFile} found above the current folder; run the tool from inside the WorkshopKit repository.");
}
