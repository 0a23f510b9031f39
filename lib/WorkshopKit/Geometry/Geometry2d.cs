using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Geometry;

/// <summary>Geometry of a 2D operation: one <see cref="AxisGeometry"/> for height and one for width.</summary>
/// <param name="Height">The vertical dimension.</param>
/// <param name="Width">The horizontal dimension.</param>
/// <remarks>Comes with <see cref="ConvGeometry"/>, first used in notebook 02 (Hardware and precision), section "1.2 The im2col view and its memory cost".</remarks>
public sealed record Geometry2d(AxisGeometry Height, AxisGeometry Width) : IHtmlDisplay
{
    /// <summary>Output size as (height, width).</summary>
    public (int Height, int Width) Output => (Height.Output, Width.Output);

    /// <summary>Padding amounts for <c>torch.nn.functional.pad</c>, in its order: (left, right, top, bottom).</summary>
    public long[] PadArgument => [Width.PadBefore, Width.PadAfter, Height.PadBefore, Height.PadAfter];

    /// <summary>True when the padding is the same before and after in both dimensions, so PyTorch's integer padding can express it.</summary>
    public bool IsSymmetric => Height.PadBefore == Height.PadAfter && Width.PadBefore == Width.PadAfter;

    // The output padding column only where it can be non-zero: for transposed convolutions (notebook 04 introduces it).
    private bool HasOutputPadding => Height.Kind == OperationKind.TransposedConvolution || Height.OutputPadding != 0 || Width.OutputPadding != 0;

    private HtmlTable Table() => new(
        HasOutputPadding
            ? ["dimension", "input", "kernel", "stride", "dilation", "pad before", "pad after", "output padding", "output", "unused at end"]
            : ["dimension", "input", "kernel", "stride", "dilation", "pad before", "pad after", "output", "unused at end"],
        [Row("height", Height), Row("width", Width)],
        $"{Height.Kind}: {Height.Input}x{Width.Input} -> {Height.Output}x{Width.Output}, padding {Height.Padding}");

    private string[] Row(string name, AxisGeometry a) => HasOutputPadding
        ? [name, I(a.Input), I(a.Kernel), I(a.Stride), I(a.Dilation), I(a.PadBefore), I(a.PadAfter), I(a.OutputPadding), I(a.Output), I(a.UnusedAtEnd)]
        : [name, I(a.Input), I(a.Kernel), I(a.Stride), I(a.Dilation), I(a.PadBefore), I(a.PadAfter), I(a.Output), I(a.UnusedAtEnd)];

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
