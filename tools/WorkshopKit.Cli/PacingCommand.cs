using System.Globalization;
using Spectre.Console;
using WorkshopKit.Runner;

namespace WorkshopKit.Cli;

/// <summary>
/// <c>pacing [--no-run] [--sections]</c>: the core path's minutes per notebook by <see cref="PacingRules.Workshop"/>, plus
/// the measured execution time of each notebook's core copy (written to artifacts/pacing/ and run like an attendee would),
/// so the README's pacing table is produced by a command and not typed in. <c>--no-run</c> leaves execution out;
/// <c>--sections</c> lists every section with its mark and minutes.
/// </summary>
internal static class PacingCommand
{
    /// <summary>A 3-hour workshop.</summary>
    private const double WorkshopMinutes = 180;

    public static async Task<int> ExecuteAsync(string[] args)
    {
        bool run = true, sections = false;
        foreach (var arg in args)
        {
            if (arg == "--no-run") run = false;
            else if (arg == "--sections") sections = true;
            else throw new CliException($"pacing takes only --no-run and --sections, not '{arg}'.");
        }
        var console = AnsiConsole.Console; // before kernels redirect Console.Out
        var rules = PacingRules.Workshop;
        var notebooks = Directory.GetFiles(Path.Combine(Repo.Root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();
        if (run && !await LibraryBuild.EnsureAsync(console)) return 1;
        string copies = Path.Combine(Repo.Root, "artifacts", "pacing", "notebooks");
        AtomicFile.DeleteLeftovers(copies);
        string before = LoadAverage();

        var estimates = new List<PacingEstimate>();
        bool allRan = true;
        foreach (var path in notebooks)
        {
            string name = Path.GetFileName(path);
            var notebook = IpynbJson.Load(path);
            double seconds = 0;
            if (run)
            {
                string copy = Path.Combine(copies, name);
                StudentCopies.Write(path, copy, coreOnly: true);
                console.MarkupLineInterpolated($"[grey]running the core copy of {name} ...[/]");
                var executed = await new NotebookRunner().RunAsync(copy);
                if (!executed.Result.Succeeded) { console.MarkupLineInterpolated($"[red]{executed.Result.Summary}[/]"); allRan = false; }
                seconds = executed.Result.Cells.Sum(c => c.Elapsed.TotalSeconds);
            }
            estimates.Add(Pacing.Estimate(name, notebook, rules, seconds));
            if (sections)
            {
                var table = new Table().Title(Markup.Escape(name)).AddColumns("section", "path", "minutes");
                foreach (var section in CorePath.Sections(notebook))
                    table.AddRow(Markup.Escape(new string('#', section.Level) + " " + section.Heading), section.Optional ? CorePath.Optional : CorePath.Core,
                        Pacing.SectionMinutes(notebook, section, rules).ToString("F1", CultureInfo.InvariantCulture));
                console.Write(table);
            }
        }

        var summary = new Table().AddColumns("notebook", "core min", "optional min", "core exercises", "optional exercises", run ? "core run s" : "run (skipped)");
        foreach (var e in estimates)
            summary.AddRow(Path.GetFileNameWithoutExtension(e.Notebook), F(e.CoreMinutes, "F0"), F(e.OptionalMinutes, "F0"), e.CoreExercises.ToString(CultureInfo.InvariantCulture),
                e.OptionalExercises.ToString(CultureInfo.InvariantCulture), run ? F(e.CoreExecutionSeconds, "F1") : "-");
        double core = estimates.Sum(e => e.CoreMinutes), optional = estimates.Sum(e => e.OptionalMinutes);
        summary.AddRow("[bold]total[/]", $"[bold]{F(core, "F0")}[/]", F(optional, "F0"), estimates.Sum(e => e.CoreExercises).ToString(CultureInfo.InvariantCulture),
            estimates.Sum(e => e.OptionalExercises).ToString(CultureInfo.InvariantCulture), run ? F(estimates.Sum(e => e.CoreExecutionSeconds), "F1") : "-");
        console.Write(summary);
        console.MarkupLineInterpolated($"rules: {rules.WordsPerMinute} markdown words a minute, {rules.MinutesPerCodeCell} min per code cell, {rules.MinutesPerExercise} min more per exercise{(run ? ", plus the measured execution time" : "")}");
        console.MarkupLineInterpolated($"core path {core:F0} min of {WorkshopMinutes:F0}: {WorkshopMinutes - core:F0} min left for breaks and questions");
        if (run) console.MarkupLineInterpolated($"measured on {Cpu()}, {Environment.ProcessorCount} cores; load average {before} before, {LoadAverage()} after");
        return allRan ? 0 : 1;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The 1-minute load average (Linux), since a shared machine slows every measured second.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string Cpu() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
}
