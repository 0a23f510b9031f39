namespace WorkshopKit.Runtime;

/// <summary>
/// How long WorkshopKit's own start-up work took in this process, so that start-up can be measured from inside
/// (benchmarks/startup/library.cs, docs/benchmarks.md) rather than guessed from wall-clock differences.
/// </summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it.</remarks>
public static class StartupTimings
{
    /// <summary>
    /// Time spent in WorkshopKit's module initializer (native-library preparation and formatter registration),
    /// which runs before a program's first WorkshopKit call; zero before the initializer has run.
    /// </summary>
    public static TimeSpan ModuleInitializer { get; internal set; }
}
