using System.Globalization;
using WorkshopKit.ReceptiveFields;
using WorkshopKit.Visuals;

namespace WorkshopKit.Blocks;

/// <summary>What <see cref="Block.Describe"/> tells about a block for one input shape; shows as a table in notebooks.</summary>
/// <remarks>Taught in notebook 04 (pooling and upsampling), section 3 "A small encoder-decoder"; read again in notebooks 05 to 08.</remarks>
/// <param name="Name">The block's name.</param>
/// <param name="Input">The input shape described.</param>
/// <param name="Output">The output shape for that input.</param>
/// <param name="Parameters">Trainable values (sum of parameter element counts).</param>
/// <param name="Layers">Per-layer shapes and costs, in execution order.</param>
/// <param name="Field">Receptive field of one output value along the rows (height), in input pixels.</param>
/// <param name="FieldWidth">Receptive field along the columns (width); equal to <paramref name="Field"/> for square kernels and strides.</param>
/// <param name="Mermaid">The structure as a Mermaid flowchart.</param>
public sealed record BlockReport(string Name, FeatureShape Input, FeatureShape Output, long Parameters, IReadOnlyList<BlockLayer> Layers,
    ReceptiveField Field, ReceptiveField FieldWidth, string Mermaid) : IHtmlDisplay
{
    /// <summary>Multiply-accumulates for one sample: the sum over the recorded layers.</summary>
    public long Macs => Layers.Sum(l => l.Macs);

    /// <summary>Floating-point operations for one sample, counted as two per multiply-accumulate (the usual 2·k²·R²·M·N convention).</summary>
    public long Flops => 2 * Macs;

    /// <summary>The summary and per-layer rows as a table.</summary>
    public HtmlTable ToTable()
    {
        var rows = Layers.Select(l => (IReadOnlyList<string>)[l.Name, l.Input.ToString(), l.Output.ToString(), Num(l.Parameters), Num(l.Macs)]).ToList();
        rows.Add(["total", Input.ToString(), Output.ToString(), Num(Parameters), Num(Macs)]);
        string field = Field == FieldWidth ? Field.ToString() : $"{Field} x {FieldWidth}";
        return new HtmlTable(["layer", "input", "output", "parameters", "MACs"], rows,
            $"{Name}: {Input} -> {Output}, {Num(Parameters)} parameters, {Num(Macs)} MACs ({Num(Flops)} FLOPs), receptive field {field}");
    }

    /// <inheritdoc />
    public string ToHtml() => ToTable().ToHtml();

    /// <inheritdoc />
    public override string ToString() => ToTable().ToString();

    private static string Num(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
