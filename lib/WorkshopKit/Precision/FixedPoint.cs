namespace WorkshopKit.Precision;

/// <summary>
/// Signed fixed point &lt;IL,FL&gt; in the notation of Gupta et al. (2015): a word of WL = IL + FL bits in two's
/// complement, grid spacing eps = 2^-FL, range [-2^(IL-1), 2^(IL-1) - eps]; values outside saturate.
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.1 Fixed-point grids &lt;IL,FL&gt;" (what <see cref="NumberFormat.Fixed"/> returns).</remarks>
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
