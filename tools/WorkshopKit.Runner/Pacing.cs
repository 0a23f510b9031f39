using System.Text.Json.Nodes;

namespace WorkshopKit.Runner;

/// <summary>
/// Estimates how long a notebook takes in a workshop from <see cref="PacingRules"/> and measured execution time: the
/// only honest figure without timed sessions, and one that follows every edit of a notebook.
/// </summary>
public static class Pacing
{
    /// <summary>Whitespace-separated words of a cell's source (markdown syntax included; it is a rate, not a count of ideas).</summary>
    public static int Words(JsonObject cell) =>
        IpynbJson.Source(cell).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>True for an exercise cell: a code cell with a solution region.</summary>
    public static bool IsExercise(JsonObject cell) =>
        IpynbJson.CellType(cell) == "code" && IpynbJson.Source(cell).Contains(StudentCopies.BeginMarker, StringComparison.Ordinal);

    /// <summary>Minutes one cell takes by <paramref name="rules"/>, execution time excluded.</summary>
    public static double CellMinutes(JsonObject cell, PacingRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return IpynbJson.CellType(cell) switch
        {
            "markdown" => Words(cell) / rules.WordsPerMinute,
            "code" => rules.MinutesPerCodeCell + (IsExercise(cell) ? rules.MinutesPerExercise : 0),
            _ => 0,
        };
    }

    /// <summary>Minutes of the cells of <paramref name="section"/> by <paramref name="rules"/>, execution time excluded.</summary>
    public static double SectionMinutes(JsonObject notebook, NotebookSection section, PacingRules rules)
    {
        ArgumentNullException.ThrowIfNull(section);
        return IpynbJson.Cells(notebook).Skip(section.FirstCell).Take(section.CellCount).Sum(c => CellMinutes(c, rules));
    }

    /// <summary>
    /// The core and optional minutes of <paramref name="notebook"/> by <paramref name="rules"/>, with
    /// <paramref name="coreExecutionSeconds"/> (the measured run of its core copy) added to the core minutes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The execution time is negative or not a number.</exception>
    public static PacingEstimate Estimate(string name, JsonObject notebook, PacingRules rules, double coreExecutionSeconds)
    {
        if (!(coreExecutionSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(coreExecutionSeconds), coreExecutionSeconds, "an execution time is zero or more seconds.");
        var cells = IpynbJson.Cells(notebook).ToList();
        var core = CorePath.CoreCells(notebook);
        double coreMinutes = 0, optionalMinutes = 0;
        int coreExercises = 0, optionalExercises = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            double minutes = CellMinutes(cells[i], rules);
            bool exercise = IsExercise(cells[i]);
            if (core[i]) { coreMinutes += minutes; coreExercises += exercise ? 1 : 0; }
            else { optionalMinutes += minutes; optionalExercises += exercise ? 1 : 0; }
        }
        return new PacingEstimate(name, coreMinutes + coreExecutionSeconds / 60, optionalMinutes, coreExercises, optionalExercises, coreExecutionSeconds);
    }
}
