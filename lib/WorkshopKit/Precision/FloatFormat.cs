using TorchSharp;

namespace WorkshopKit.Precision;

/// <summary>
/// A binary floating-point target narrower than float32 (float16 or bfloat16), described by its significand precision
/// and exponent range so that rounding can be done in float32 arithmetic on any device.
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.3 Stagnation: when small updates vanish".</remarks>
public sealed record FloatFormat : NumberFormat
{
    private FloatFormat(string name, int precision, int minExponent, int maxExponent, torch.ScalarType type)
    {
        Name = name;
        Precision = precision;
        MinExponent = minExponent;
        MaxExponent = maxExponent;
        ScalarType = type;
        Max = (float)((2.0 - Math.ScaleB(1.0, 1 - precision)) * Math.ScaleB(1.0, maxExponent));
        Min = -Max;
    }

    /// <summary>IEEE 754 half precision: 11 significant bits, normal exponents -14..15, largest finite 65504.</summary>
    public static FloatFormat Float16 { get; } = new("float16", 11, -14, 15, torch.ScalarType.Float16);

    /// <summary>bfloat16, the top 16 bits of a float32: float32's exponent range with only 8 significant bits.</summary>
    public static FloatFormat BFloat16 { get; } = new("bfloat16", 8, -126, 127, torch.ScalarType.BFloat16);

    /// <summary>Significant bits, the implicit leading one included (11 for float16, 8 for bfloat16).</summary>
    public int Precision { get; }

    /// <summary>Exponent of the smallest normal number; below it the spacing stays 2^(MinExponent - Precision + 1) (subnormals).</summary>
    public int MinExponent { get; }

    /// <summary>Exponent of the largest binade.</summary>
    public int MaxExponent { get; }

    /// <summary>The TorchSharp dtype of this format, for casting a quantized tensor without further rounding.</summary>
    public torch.ScalarType ScalarType { get; }

    /// <summary>The grid spacing between consecutive values of the format near <paramref name="value"/> (its ulp).</summary>
    public double UnitInLastPlace(double value)
    {
        double a = Math.Abs(value);
        int e = a == 0 || double.IsSubnormal(a) ? MinExponent : Math.Max(Math.ILogB(a), MinExponent);
        return Math.ScaleB(1.0, e - Precision + 1);
    }

    /// <inheritdoc />
    public override float Max { get; }

    /// <inheritdoc />
    public override float Min { get; }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
