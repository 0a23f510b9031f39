using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.Geometry;

/// <summary>
/// Padding amounts of several rules or sizes side by side, so the lesson on padding can show at a glance
/// where the zeros go (TensorFlow's SAME puts the odd one at the end) and which rule refuses which stride.
/// </summary>
/// <remarks>First used in notebook 03 (Strides and padding), section "1. Stride: how far the window jumps".</remarks>
public sealed class PaddingTable : IHtmlDisplay
{
    private PaddingTable(IReadOnlyList<PaddingTableRow> rows, string caption)
    {
        Rows = rows;
        Caption = caption;
    }

    /// <summary>The rows, in the order they were asked for.</summary>
    public IReadOnlyList<PaddingTableRow> Rows { get; }

    /// <summary>What the table compares.</summary>
    public string Caption { get; }

    /// <summary>
    /// VALID, SAME (TensorFlow), same (PyTorch) and FULL for one configuration: the output-size calculator of the lesson.
    /// A rule that refuses the configuration gets a row with its reason instead of numbers.
    /// </summary>
    /// <exception cref="ArgumentException">A size, stride or dilation below 1 (no rule can work then).</exception>
    public static PaddingTable Compare(int input, int kernel, int stride = 1, int dilation = 1)
    {
        ConvPadding[] rules = [ConvPadding.Valid, ConvPadding.SameTensorFlow, ConvPadding.SamePyTorch, ConvPadding.Full];
        var rows = rules.Select(r => Row(r, input, kernel, stride, dilation)).ToList();
        return new PaddingTable(rows, string.Create(CultureInfo.InvariantCulture,
            $"input {input}, kernel {kernel}, stride {stride}, dilation {dilation}: every padding rule"));
    }

    /// <summary>One rule over every combination of input sizes and strides (inputs vary slowest), to show a pattern such as the extra zero at the end.</summary>
    /// <exception cref="ArgumentException">No input sizes or strides, or a size, stride or dilation below 1.</exception>
    public static PaddingTable Sweep(IEnumerable<int> inputs, IEnumerable<int> strides, int kernel, ConvPadding padding, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(strides);
        ArgumentNullException.ThrowIfNull(padding);
        var inputList = inputs.ToList();
        var strideList = strides.ToList();
        if (inputList.Count == 0 || strideList.Count == 0)
            throw new ArgumentException($"A sweep needs at least one input size and one stride, got {inputList.Count} input sizes and {strideList.Count} strides.");
        var rows = (from n in inputList from s in strideList select Row(padding, n, kernel, s, dilation)).ToList();
        return new PaddingTable(rows, string.Create(CultureInfo.InvariantCulture,
            $"{padding} padding, kernel {kernel}, dilation {dilation}, for several input sizes and strides"));
    }

    private static PaddingTableRow Row(ConvPadding rule, int input, int kernel, int stride, int dilation)
    {
        // Invalid sizes are the caller's mistake, not a property of one rule: let them throw.
        if (input < 1 || kernel < 1 || stride < 1 || dilation < 1) ConvGeometry.Conv(input, kernel, stride, rule, dilation);
        try
        {
            return new PaddingTableRow(rule, input, kernel, stride, dilation, ConvGeometry.Conv(input, kernel, stride, rule, dilation), null);
        }
        catch (ArgumentException e)
        {
            return new PaddingTableRow(rule, input, kernel, stride, dilation, null, e.Message);
        }
    }

    private HtmlTable Table() => new(
        ["rule", "input", "kernel", "stride", "dilation", "output", "pad before", "pad after", "total", "extra zero", "note"],
        Rows.Select(r => (IReadOnlyList<string>)(r.Geometry is { } g
            ? [r.Rule.ToString(), I(r.Input), I(r.Kernel), I(r.Stride), I(r.Dilation), I(g.Output), I(g.PadBefore), I(g.PadAfter),
               I(g.PadBefore + g.PadAfter), r.ExtraZero?.ToString().ToLowerInvariant() ?? "", g.UnusedAtEnd > 0 ? $"last {I(g.UnusedAtEnd)} cell(s) never read" : ""]
            : [r.Rule.ToString(), I(r.Input), I(r.Kernel), I(r.Stride), I(r.Dilation), "-", "-", "-", "-", "-", FirstSentence(r.Refusal!)])).ToList(),
        Caption);

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
