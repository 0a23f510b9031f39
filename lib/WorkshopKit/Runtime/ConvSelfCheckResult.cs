using System.Globalization;

namespace WorkshopKit.Runtime;

/// <summary>What <see cref="ConvSelfCheck.Run(int, long)"/> found: one row per case, and the verdict.</summary>
/// <param name="Cases">The cases, in the order they ran.</param>
/// <param name="TrialsPerCase">Trials per case.</param>
/// <param name="Seed">The seed of the inputs, so a failure can be reproduced.</param>
public sealed record ConvSelfCheckResult(IReadOnlyList<ConvSelfCheckCase> Cases, int TrialsPerCase, long Seed)
{
    /// <summary>True when every case passed.</summary>
    public bool Passed => Cases.All(c => c.Passed);

    /// <summary>Trials that came back wrong or non-finite, over all cases.</summary>
    public int Failures => Cases.Sum(c => c.Wrong + c.NonFinite);

    /// <summary>One line: the verdict and the counts, e.g. for <c>doctor</c>.</summary>
    public string Summary => Passed
        ? string.Create(CultureInfo.InvariantCulture, $"float32 convolutions agree with float64 in {Cases.Sum(c => c.Trials):N0} of {Cases.Sum(c => c.Trials):N0} trials (worst error {Cases.Max(c => c.WorstError):0.0e0}, tolerance {ConvSelfCheck.Tolerance:0e0})")
        : string.Create(CultureInfo.InvariantCulture, $"float32 convolutions WRONG in {Failures:N0} of {Cases.Sum(c => c.Trials):N0} trials on this host ({string.Join("; ", Cases.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Wrong} wrong, {c.NonFinite} non-finite"))}; seed {Seed})");

    /// <summary>The summary and a line per case.</summary>
    public override string ToString() =>
        Summary + Environment.NewLine + string.Join(Environment.NewLine, Cases.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"  {c.Name,-52} {c.Trials,5} trials  {c.Wrong,3} wrong  {c.NonFinite,3} non-finite  worst {c.WorstError:0.0e0}")));
}
