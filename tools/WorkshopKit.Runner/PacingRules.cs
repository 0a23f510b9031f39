namespace WorkshopKit.Runner;

/// <summary>
/// The stated rules behind a pacing estimate. No timed sessions with attendees exist, so minutes come from these rules
/// (plus measured execution time) rather than from observation, and anyone can check or change them.
/// </summary>
/// <param name="WordsPerMinute">Markdown words covered per minute: an instructor explaining while attendees read along.</param>
/// <param name="MinutesPerCodeCell">Minutes per code cell to run it and look at what it shows, besides its execution time.</param>
/// <param name="MinutesPerExercise">Extra minutes per exercise (a code cell with a solution region) to think, type and check.</param>
public sealed record PacingRules(double WordsPerMinute, double MinutesPerCodeCell, double MinutesPerExercise)
{
    /// <summary>The workshop's rules: 150 words a minute (a presenter's speaking rate), half a minute per code cell, 3 minutes per exercise.</summary>
    public static PacingRules Workshop { get; } = new(150, 0.5, 3);
}
