using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.Precision;

/// <summary>How many inputs fell outside a format's range (and so saturated), counted before rounding.</summary>
/// <param name="Format">The format whose range was checked.</param>
/// <param name="Elements">Number of values checked.</param>
/// <param name="AboveMax">Values greater than <see cref="NumberFormat.Max"/> (+infinity included).</param>
/// <param name="BelowMin">Values smaller than <see cref="NumberFormat.Min"/> (-infinity included).</param>
/// <param name="NaN">NaN values (passed through unchanged).</param>
/// <remarks>Not called in a notebook: behind the saved results of notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)" (experiments/precision.cs).</remarks>
internal sealed record SaturationCounts(NumberFormat Format, long Elements, long AboveMax, long BelowMin, long NaN) : IHtmlDisplay
{
    /// <summary>Values that saturated at either end.</summary>
    public long Saturated => AboveMax + BelowMin;

    /// <summary>The saturated share of all values, 0 for an empty tensor.</summary>
    public double SaturatedFraction => Elements == 0 ? 0 : (double)Saturated / Elements;

    /// <summary>Counts the values of <paramref name="x"/> outside <paramref name="format"/>'s range.</summary>
    public static SaturationCounts Of(Tensor x, NumberFormat format)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(format);
        using var scope = NewDisposeScope();
        return new SaturationCounts(format, x.numel(),
            (x > format.Max).sum().item<long>(),
            (x < format.Min).sum().item<long>(),
            x.isnan().sum().item<long>());
    }

    private HtmlTable Table() => new(["format", "values", "above max", "below min", "NaN", "saturated"],
        [[Format.Name, Elements.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), AboveMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
          BelowMin.ToString(System.Globalization.CultureInfo.InvariantCulture), NaN.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{SaturatedFraction:P3}"]]);

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
