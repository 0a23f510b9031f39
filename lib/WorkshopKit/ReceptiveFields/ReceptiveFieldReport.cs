using System.Globalization;
using WorkshopKit.Visuals;

namespace WorkshopKit.ReceptiveFields;

/// <summary>A per-layer receptive field table for a chain of nodes, plus the region of any output unit.</summary>
/// <remarks>Taught in notebook 01 (convolutional layers), section 8 "Receptive fields".</remarks>
public sealed class ReceptiveFieldReport : IHtmlDisplay
{
    private readonly RfNode network;

    internal ReceptiveFieldReport(RfNode network, IReadOnlyList<ReceptiveFieldRow> rows)
    {
        this.network = network;
        Rows = rows;
    }

    /// <summary>One row per node of the top-level chain (cumulative from the input), the whole network last.</summary>
    public IReadOnlyList<ReceptiveFieldRow> Rows { get; }

    /// <summary>The receptive field of the network's output.</summary>
    public ReceptiveFieldRow Final => Rows[^1];

    /// <summary>The input region (possibly reaching into the padding) that output unit (row, col) depends on.</summary>
    public Region RegionOf(long row, long col) => network.MapBack(new Region(new Span(row, row), new Span(col, col)));

    private HtmlTable Table() => new(["layer", "RF size", "effective stride", "effective padding"],
        Rows.Select(r => (IReadOnlyList<string>)[r.Name, $"{r.Size.Height}x{r.Size.Width}",
            string.Create(CultureInfo.InvariantCulture, $"{r.EffectiveStride.Height:G4}x{r.EffectiveStride.Width:G4}"), $"{r.EffectivePadding.Height}x{r.EffectivePadding.Width}"]).ToList(),
        "Receptive fields (Araujo, Norris and Sim, Distill 2019)");

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}
