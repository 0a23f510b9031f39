using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Precision;

/// <summary>The outcome of <see cref="StagnationDemo.Run"/>: the accumulators' mean over time next to the exact sum.</summary>
/// <param name="Format">The accumulator's format.</param>
/// <param name="Mode">The rounding rule used after every addition.</param>
/// <param name="Steps">Step numbers at which the mean was recorded.</param>
/// <param name="Mean">Mean of the accumulators at those steps.</param>
/// <param name="Exact">The exact running sum at those steps.</param>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.3 Stagnation: when small updates vanish".</remarks>
public sealed record StagnationResult(NumberFormat Format, Rounding Mode, IReadOnlyList<int> Steps, IReadOnlyList<double> Mean, IReadOnlyList<double> Exact) : IHtmlDisplay
{
    /// <summary>The accumulators' mean after the last step.</summary>
    public double FinalMean => Mean[^1];

    /// <summary>The exact sum after the last step.</summary>
    public double ExactSum => Exact[^1];

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();

    private HtmlTable Table() => new(["format", "rounding", "final mean", "exact sum"],
        [[Format.Name, Mode.ToString(), FinalMean.ToString("G6", CultureInfo.InvariantCulture), ExactSum.ToString("G6", CultureInfo.InvariantCulture)]]);
}
