using TorchSharp;

namespace WorkshopKit.Precision;

/// <summary>
/// A low-precision number format that float32 values are rounded onto. Values are kept in float32
/// tensors after rounding, so quantized tensors compose with every ordinary TorchSharp operation.
/// </summary>
public abstract record NumberFormat
{
    /// <summary>The largest value of the format that float32 can hold; larger inputs (and +infinity) saturate to it.</summary>
    public abstract float Max { get; }

    /// <summary>The most negative value of the format that float32 can hold; smaller inputs (and -infinity) saturate to it.</summary>
    public abstract float Min { get; }

    /// <summary>A short name for tables and charts, such as <c>&lt;4,12&gt;</c> or <c>bfloat16</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Fixed point with <paramref name="wordLength"/> bits of which <paramref name="fractionBits"/> are after the binary point (the paper's WL and FL).</summary>
    public static FixedPoint Fixed(int wordLength, int fractionBits) => FixedPoint.FromWordLength(wordLength, fractionBits);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// Signed fixed point &lt;IL,FL&gt; in the notation of Gupta et al. (2015): a word of WL = IL + FL bits in two's
/// complement, grid spacing eps = 2^-FL, range [-2^(IL-1), 2^(IL-1) - eps]; values outside saturate.
/// </summary>
public sealed record FixedPoint : NumberFormat
{
    /// <summary>Largest word length accepted: the integer grid index must fit a 32-bit integer.</summary>
    public const int MaxWordLength = 32;

    private FixedPoint(int integerBits, int fractionBits)
    {
        IntegerBits = integerBits;
        FractionBits = fractionBits;
        double top = Math.ScaleB(1.0, integerBits - 1) - Math.ScaleB(1.0, -fractionBits);
        float max = (float)top;
        // Above 24 significant bits the top grid value has no float32 twin: take the largest float32 below it.
        if (max > top) max = MathF.BitDecrement(max);
        Max = max;
        Min = (float)-Math.ScaleB(1.0, integerBits - 1);
    }

    /// <summary>Builds &lt;IL,FL&gt; from the integer and fraction bit counts, checking WL = IL + FL.</summary>
    /// <exception cref="ArgumentException">FL is negative, IL is below 1 (the sign needs a bit), or WL exceeds 32.</exception>
    public static FixedPoint FromBits(int integerBits, int fractionBits) => FromWordLength(integerBits + fractionBits, fractionBits);

    /// <summary>Builds the format from the word length WL and fraction length FL.</summary>
    /// <exception cref="ArgumentException">FL is negative, WL &lt;= FL (no room for the sign bit), or WL exceeds 32.</exception>
    public static FixedPoint FromWordLength(int wordLength, int fractionBits)
    {
        if (fractionBits < 0)
            throw new ArgumentException($"Fixed point needs FL >= 0 fraction bits, but FL = {fractionBits}. Use FL = 0 for integers.", nameof(fractionBits));
        if (wordLength <= fractionBits)
            throw new ArgumentException($"Fixed point needs WL > FL (at least one integer bit for the sign), but WL = {wordLength}, FL = {fractionBits}. Use WL >= {fractionBits + 1} or a smaller FL.", nameof(wordLength));
        if (wordLength > MaxWordLength)
            throw new ArgumentException($"Fixed point needs WL <= {MaxWordLength} (grid indices are 32-bit integers), but WL = {wordLength} (FL = {fractionBits}). Use WL <= {MaxWordLength}.", nameof(wordLength));
        return new FixedPoint(wordLength - fractionBits, fractionBits);
    }

    /// <summary>IL: bits before the binary point, the sign bit included.</summary>
    public int IntegerBits { get; }

    /// <summary>FL: bits after the binary point; the grid spacing is 2^-FL.</summary>
    public int FractionBits { get; }

    /// <summary>WL = IL + FL: the number of bits a value takes in memory.</summary>
    public int WordLength => IntegerBits + FractionBits;

    /// <summary>The grid spacing eps = 2^-FL: the smallest step the format can take.</summary>
    public double Epsilon => Math.ScaleB(1.0, -FractionBits);

    /// <inheritdoc />
    public override float Max { get; }

    /// <inheritdoc />
    public override float Min { get; }

    /// <summary>The paper's notation: &lt;IL,FL&gt;.</summary>
    public override string Name => $"<{IntegerBits},{FractionBits}>";

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// A binary floating-point target narrower than float32 (float16 or bfloat16), described by its significand precision
/// and exponent range so that rounding can be done in float32 arithmetic on any device.
/// </summary>
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
