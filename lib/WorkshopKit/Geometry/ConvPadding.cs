namespace WorkshopKit.Geometry;

/// <summary>
/// How much zero padding a convolution adds, as a rule (VALID, SAME, FULL) or as explicit amounts.
/// Named <c>ConvPadding</c> so it does not clash with TorchSharp's own <c>Padding</c> enum.
/// </summary>
/// <param name="Mode">The rule.</param>
/// <param name="Before">Zeros before the input (only for <see cref="PaddingMode.Explicit"/>).</param>
/// <param name="After">Zeros after the input (only for <see cref="PaddingMode.Explicit"/>).</param>
/// <remarks>First used in notebook 01 (Convolutional layers), section "5. What does it cost? Counting FLOPs, then timing".</remarks>
public sealed record ConvPadding(PaddingMode Mode, int Before = 0, int After = 0)
{
    // Checked here, in the properties, so that the record constructor and `with` cannot bypass the rules.
    /// <summary>The rule (a defined <see cref="PaddingMode"/>).</summary>
    public PaddingMode Mode { get; init => field = Runtime.Guard.Defined(value, nameof(Mode)); } = Runtime.Guard.Defined(Mode, nameof(Mode));

    /// <summary>Zeros before the input (non-negative).</summary>
    public int Before { get; init => field = NonNegative(value, "before"); } = NonNegative(Before, "before");

    /// <summary>Zeros after the input (non-negative).</summary>
    public int After { get; init => field = NonNegative(value, "after"); } = NonNegative(After, "after");

    private static int NonNegative(int value, string name) => value >= 0 ? value
        : throw new ArgumentException($"Padding must be non-negative, but {name}={value}. Use 0 or a positive number of zeros.", name);

    /// <summary>No padding (TensorFlow's and PyTorch's "valid").</summary>
    public static ConvPadding Valid { get; } = new(PaddingMode.Valid);

    /// <summary>TensorFlow's SAME: output size ceil(input / stride), extra zero at the end.</summary>
    public static ConvPadding SameTensorFlow { get; } = new(PaddingMode.SameTensorFlow);

    /// <summary>PyTorch's "same": output size equals input size; stride 1 only.</summary>
    public static ConvPadding SamePyTorch { get; } = new(PaddingMode.SamePyTorch);

    /// <summary>FULL padding: effective kernel minus one zeros on each side.</summary>
    public static ConvPadding Full { get; } = new(PaddingMode.Full);

    /// <summary>Explicit zeros before and after the input, as in <c>torch.nn.functional.pad</c>.</summary>
    /// <exception cref="ArgumentException">A negative amount.</exception>
    public static ConvPadding Explicit(int before, int after)
    {
        return new(PaddingMode.Explicit, before, after); // the properties check the amounts
    }

    /// <summary>The same number of zeros on both sides, as PyTorch's integer <c>padding=p</c>.</summary>
    public static ConvPadding Symmetric(int padding) => Explicit(padding, padding);

    /// <summary>Short name used in tables, e.g. <c>SAME(TF)</c> or <c>explicit(1,2)</c>.</summary>
    public override string ToString() => Mode switch
    {
        PaddingMode.Valid => "VALID",
        PaddingMode.SameTensorFlow => "SAME(TF)",
        PaddingMode.SamePyTorch => "same(PyTorch)",
        PaddingMode.Full => "FULL",
        _ => $"explicit({Before},{After})",
    };
}
