namespace WorkshopKit.Runtime;

/// <summary>One case of <see cref="ConvSelfCheck"/>: how many of its seeded trials came back wrong or non-finite.</summary>
/// <param name="Name">The operation and its channels.</param>
/// <param name="Trials">Trials run.</param>
/// <param name="Wrong">Trials whose float32 result was finite but off by more than <see cref="ConvSelfCheck.Tolerance"/>.</param>
/// <param name="NonFinite">Trials whose float32 result held a NaN or an infinity (the float64 reference never does).</param>
/// <param name="WorstError">The largest relative error seen (<see cref="ConvSelfCheck.RelativeError"/>); infinity when a trial was non-finite.</param>
public sealed record ConvSelfCheckCase(string Name, int Trials, int Wrong, int NonFinite, double WorstError)
{
    /// <summary>True when no trial was wrong or non-finite.</summary>
    public bool Passed => Wrong == 0 && NonFinite == 0;
}
