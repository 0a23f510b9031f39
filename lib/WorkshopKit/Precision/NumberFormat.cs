namespace WorkshopKit.Precision;

/// <summary>
/// A low-precision number format that float32 values are rounded onto. Values are kept in float32
/// tensors after rounding, so quantized tensors compose with every ordinary TorchSharp operation.
/// </summary>
/// <remarks>First used in notebook 02 (Hardware and precision), section "2.1 Fixed-point grids &lt;IL,FL&gt;".</remarks>
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
