using System.Globalization;

namespace WorkshopKit.Runtime;

/// <summary>What <see cref="ConvSelfCheck.Run(int, long)"/> found: one row per case, and the verdict on the backend in use.</summary>
/// <param name="Cases">The cases, in the order they ran: every configuration, batch size and thread count, for each backend checked.</param>
/// <param name="TrialsPerCase">Trials per case.</param>
/// <param name="Seed">The seed of the inputs, so a failure can be reproduced.</param>
/// <param name="Backend">The backend the kit computes with (<see cref="TorchRuntimeReport.ConvolutionBackend"/>): the verdict is about it.</param>
/// <param name="CpuFinding">What CPUID said about the caches (<see cref="CpuCacheTopology.Summary"/>).</param>
internal sealed record ConvSelfCheckResult(IReadOnlyList<ConvSelfCheckCase> Cases, int TrialsPerCase, long Seed, string Backend, string CpuFinding)
{
    /// <summary>The cases of the backend in use.</summary>
    public IReadOnlyList<ConvSelfCheckCase> InUse => Cases.Where(c => c.Backend == Backend).ToList();

    /// <summary>The cases of oneDNN where the kit turned it off: the evidence for the cure (empty elsewhere).</summary>
    public IReadOnlyList<ConvSelfCheckCase> WithoutCure => Cases.Where(c => c.Backend != Backend).ToList();

    /// <summary>True when every case of the backend in use passed.</summary>
    public bool Passed => InUse.All(c => c.Passed);

    /// <summary>Trials of the backend in use that came back wrong or non-finite.</summary>
    public int Failures => InUse.Sum(c => c.Wrong + c.NonFinite);

    /// <summary>One line: the verdict and the counts, e.g. for <c>doctor</c>.</summary>
    public string Summary
    {
        get
        {
            int trials = InUse.Sum(c => c.Trials);
            int configurations = InUse.Select(c => c.Name).Distinct().Count();
            string verdict = Passed
                ? string.Create(CultureInfo.InvariantCulture, $"float32 convolutions ({Backend}) agree with float64 in {trials:N0} of {trials:N0} trials over {configurations} configurations (worst error {InUse.Max(c => c.WorstError):0.0e0}, tolerance {ConvSelfCheck.Tolerance:0e0})")
                : string.Create(CultureInfo.InvariantCulture, $"float32 convolutions ({Backend}) WRONG in {Failures:N0} of {trials:N0} trials on this host (seed {Seed})");
            if (WithoutCure.Count == 0) return verdict;
            int off = WithoutCure.Sum(c => c.Wrong + c.NonFinite), offTrials = WithoutCure.Sum(c => c.Trials);
            return verdict + (off == 0
                ? string.Create(CultureInfo.InvariantCulture, $"; without the cure ({WithoutCure[0].Backend}): correct in all {offTrials:N0} trials")
                : string.Create(CultureInfo.InvariantCulture, $"; without the cure ({WithoutCure[0].Backend}): WRONG in {off:N0} of {offTrials:N0}"));
        }
    }

    /// <summary>The summary, the CPUID finding, the totals per backend and thread count, and a line per failing case.</summary>
    public override string ToString()
    {
        var lines = new List<string> { Summary, "  CPUID: " + CpuFinding };
        foreach (var g in Cases.GroupBy(c => (c.Backend, c.Threads)))
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {g.Key.Backend,-18} {g.Key.Threads} thread(s): {g.Sum(c => c.Wrong),4} wrong, {g.Sum(c => c.NonFinite),4} non-finite of {g.Sum(c => c.Trials):N0} trials, worst {g.Max(c => c.WorstError):0.0e0}"));
        foreach (var c in Cases.Where(c => !c.Passed))
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {(c.Backend == Backend ? "FAIL" : "off ")} {c.Name}, batch {c.Batch}, {c.Threads} thread(s), {c.Backend}: {c.Wrong} wrong, {c.NonFinite} non-finite of {c.Trials}, worst {c.WorstError:0.0e0} ({c.Models})"));
        return string.Join(Environment.NewLine, lines);
    }
}
