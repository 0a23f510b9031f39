namespace WorkshopKit.Runtime;

/// <summary>What <see cref="Timing.Measure"/> measured, in seconds per call.</summary>
/// <param name="MedianSeconds">The median repeat: the statistic every WorkshopKit timing reports (see <see cref="Timing"/> for why).</param>
/// <param name="MinimumSeconds">The fastest repeat, for the best case.</param>
/// <param name="Repeats">Timed repeats.</param>
/// <param name="CallsPerRepeat">Calls in each repeat.</param>
/// <remarks>Runtime plumbing: readers can skip it (see <see cref="Timing"/>).</remarks>
public sealed record TimingResult(double MedianSeconds, double MinimumSeconds, int Repeats, int CallsPerRepeat);
