namespace WorkshopKit.Precision;

/// <summary>One training configuration of the limited-precision experiment.</summary>
/// <param name="Format">The fixed-point format every stored value is rounded to; null for the float32 baseline.</param>
/// <param name="Mode">The rounding rule (ignored for the baseline).</param>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.4 Limited-precision training (saved results)"; trained by experiments/precision.cs.</remarks>
public sealed record PrecisionConfig(FixedPoint? Format, Rounding Mode)
{
    /// <summary>A label such as <c>float32</c> or <c>&lt;4,12&gt; Stochastic</c>.</summary>
    public string Label => Format is null ? "float32" : $"{Format.Name} {Mode}";

    /// <summary>The float32 baseline followed by WL = 16 with each FL under round to nearest and stochastic rounding.</summary>
    public static IReadOnlyList<PrecisionConfig> PaperGrid(params int[] fractionBits)
    {
        var list = new List<PrecisionConfig> { new(null, Rounding.Nearest) };
        foreach (var mode in new[] { Rounding.Nearest, Rounding.Stochastic })
            foreach (int fl in fractionBits)
                list.Add(new PrecisionConfig(NumberFormat.Fixed(16, fl), mode));
        return list;
    }
}
