namespace WorkshopKit.Runner;

/// <summary>A notebook's estimated teaching time, split into the core path and the optional sections, so the README table comes from code.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="CoreMinutes">Minutes of the core cells by the rules, plus their measured execution time.</param>
/// <param name="OptionalMinutes">Minutes of the optional cells by the rules (execution time not included: they were not run in the core copy).</param>
/// <param name="CoreExercises">Exercises on the core path.</param>
/// <param name="OptionalExercises">Exercises in optional sections.</param>
/// <param name="CoreExecutionSeconds">The measured execution time of the core cells that <see cref="CoreMinutes"/> includes.</param>
public sealed record PacingEstimate(string Notebook, double CoreMinutes, double OptionalMinutes, int CoreExercises, int OptionalExercises, double CoreExecutionSeconds);
