using System.Globalization;
using TorchSharp;
using WorkshopKit.Visuals;
using static TorchSharp.torch;

namespace WorkshopKit.ReceptiveFields;

/// <summary>The receptive field of a network's output (after one layer of a chain, when it is a row of a report).</summary>
/// <param name="Name">Layer (or node) name.</param>
/// <param name="Size">Receptive field size (height, width): the largest region any output unit sees.</param>
/// <param name="EffectiveStride">Distance in input positions between neighbouring output units (fractional after transposed convolutions).</param>
/// <param name="EffectivePadding">How far the region of output unit 0 starts before the input (minus its start).</param>
public sealed record ReceptiveFieldRow(string Name, (long H, long W) Size, (double H, double W) EffectiveStride, (long H, long W) EffectivePadding)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: RF {Size.H}x{Size.W}, stride {EffectiveStride.H:G4}x{EffectiveStride.W:G4}, padding {EffectivePadding.H}x{EffectivePadding.W}");
}

/// <summary>A per-layer receptive field table for a chain of nodes, plus the region of any output unit.</summary>
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
        Rows.Select(r => (IReadOnlyList<string>)[r.Name, $"{r.Size.H}x{r.Size.W}",
            string.Create(CultureInfo.InvariantCulture, $"{r.EffectiveStride.H:G4}x{r.EffectiveStride.W:G4}"), $"{r.EffectivePadding.H}x{r.EffectivePadding.W}"]).ToList(),
        "Receptive fields (Araujo, Norris and Sim, Distill 2019)");

    /// <inheritdoc />
    public string ToHtml() => Table().ToHtml();

    /// <inheritdoc />
    public override string ToString() => Table().ToString();
}

/// <summary>
/// Analytic receptive fields (Araujo, Norris and Sim, "Computing Receptive Fields of Convolutional Neural Networks",
/// Distill 2019) computed by mapping output positions back through each layer, which handles strides, dilation,
/// transposed convolutions and aligned branches exactly; and the empirical (effective) receptive field of
/// Luo et al. (2016) as the gradient of one output unit with respect to the input.
/// </summary>
public static class ReceptiveField
{
    /// <summary>Output units probed to find the largest field and the effective stride (fields after transposed convolutions vary periodically).</summary>
    public const int ProbeUnits = 64;

    private const int StridePeriod = 2520;

    /// <summary>Analyzes a network description; for a chain, one row per node (cumulative), otherwise one row.</summary>
    /// <exception cref="ArgumentException">Branches that are not aligned, or a layer whose outputs receive no input.</exception>
    public static ReceptiveFieldReport Analyze(RfNode network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var rows = new List<ReceptiveFieldRow>();
        if (network is RfChain chain)
            for (int i = 1; i <= chain.Nodes.Count; i++)
                rows.Add(Row(chain.Nodes[i - 1].Label, new RfChain(chain.Nodes.Take(i).ToList())));
        else
            rows.Add(Row(network.Label, network));
        return new ReceptiveFieldReport(network, rows);
    }

    /// <summary>Analyzes a chain given as layers (input side first).</summary>
    public static ReceptiveFieldReport Analyze(params RfNode[] chain) => Analyze(new RfChain(chain));

    /// <summary>The receptive field of a node alone: largest size over probed units, stride and padding of unit 0.</summary>
    public static ReceptiveFieldRow Row(string name, RfNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        long maxH = 0, maxW = 0;
        Region first = default, last = default;
        for (int u = 0; u < ProbeUnits; u++)
        {
            var r = node.MapBack(new Region(new Span(u, u), new Span(u, u)));
            if (u == 0) first = r;
            last = r;
            maxH = Math.Max(maxH, r.Rows.Size);
            maxW = Math.Max(maxW, r.Columns.Size);
        }
        // Transposed layers make the mapping periodic; 2520 = lcm(1..10) is a whole number of periods for strides up to 10.
        last = node.MapBack(new Region(new Span(StridePeriod, StridePeriod), new Span(StridePeriod, StridePeriod)));
        double strideH = (last.Rows.Start + last.Rows.End - first.Rows.Start - first.Rows.End) / 2.0 / StridePeriod;
        double strideW = (last.Columns.Start + last.Columns.End - first.Columns.Start - first.Columns.End) / 2.0 / StridePeriod;
        return new ReceptiveFieldRow(name, (maxH, maxW), (strideH, strideW), (-first.Rows.Start, -first.Columns.Start));
    }

    /// <summary>
    /// The effective receptive field: |d output[0, channel, row, col] / d input| summed over input channels, as a
    /// (height, width) tensor to plot. Uses the given input (or ones), so nonlinearities are evaluated there.
    /// </summary>
    /// <param name="model">Any module mapping (N, C, H, W) to (N, C', H', W').</param>
    /// <param name="input">The input to differentiate at (batch 1); its gradient is not kept.</param>
    /// <param name="row">Output row.</param>
    /// <param name="col">Output column.</param>
    /// <param name="channel">Output channel; all channels summed when null.</param>
    /// <exception cref="ArgumentException">The input is not 4D with batch 1, or the unit is outside the output.</exception>
    public static Tensor Empirical(nn.Module<Tensor, Tensor> model, Tensor input, long row, long col, long? channel = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[0] != 1)
            throw new ArgumentException($"The effective receptive field needs a (1, C, H, W) input, got shape [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var x = input.detach().clone().requires_grad_(true);
        var y = model.call(x);
        if (y.dim() != 4 || row < 0 || col < 0 || row >= y.shape[2] || col >= y.shape[3])
            throw new ArgumentException($"Output unit ({row}, {col}) is outside the model's output of shape [{string.Join(", ", y.shape)}].", nameof(row));
        var unit = channel is { } c ? y[0, c, row, col] : y[0, TensorIndex.Colon, row, col].sum();
        var grad = autograd.grad([unit], [x])[0];
        return grad.abs().sum([0, 1]).detach().MoveToOuterDisposeScope();
    }

    /// <summary>The bounding rectangle of the non-zero entries of a (height, width) gradient map, or null if it is all zero.</summary>
    public static Region? Support(Tensor map)
    {
        ArgumentNullException.ThrowIfNull(map);
        using var scope = NewDisposeScope();
        var nz = map.nonzero();
        if (nz.shape[0] == 0) return null;
        var min = nz.amin([0]);
        var max = nz.amax([0]);
        return new Region(new Span(min[0].item<long>(), max[0].item<long>()), new Span(min[1].item<long>(), max[1].item<long>()));
    }
}
