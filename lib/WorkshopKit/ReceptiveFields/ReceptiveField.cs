using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace WorkshopKit.ReceptiveFields;

/// <summary>
/// Analytic receptive fields (Araujo, Norris and Sim, "Computing Receptive Fields of Convolutional Neural Networks",
/// Distill 2019) computed by mapping output positions back through each layer, which handles strides, dilation,
/// transposed convolutions and aligned branches exactly; and the empirical (effective) receptive field of
/// Luo et al. (2016) as the gradient of one output unit with respect to the input. A value of the type is the field
/// along one axis as a chain of layers builds it up (Araujo et al.'s recurrence r = r + (k_eff - 1)·j, j = j·s), which is
/// how every block describes itself.
/// </summary>
/// <remarks>Taught in notebook 01 (convolutional layers), section 8 "Receptive fields"; blocks report it in notebooks 05 to 08.</remarks>
/// <param name="Size">Side of the input window (in input pixels) that one output value depends on.</param>
/// <param name="Jump">Distance in input pixels between neighbouring output values (the product of strides; below 1 after upsampling).</param>
public readonly record struct ReceptiveField(double Size, double Jump)
{
    /// <summary>The field of the input itself: one pixel, spacing one.</summary>
    public static ReceptiveField Pixel => new(1, 1);

    /// <summary>After a convolution or pooling window with kernel <paramref name="kernel"/>, stride and dilation: the window grows by (effective kernel - 1) times the current spacing.</summary>
    public ReceptiveField Then(long kernel, long stride, long dilation = 1) => new(Size + (dilation * (kernel - 1)) * Jump, Jump * stride);

    /// <summary>
    /// After a transposed convolution: one output gathers the inputs i with i·stride + j·dilation - padding = o; the widest
    /// such set spans <c>taps</c> inputs (ceil(k/s) for dilation 1), and the spacing shrinks by the stride.
    /// </summary>
    public ReceptiveField ThenTransposed(long kernel, long stride, long dilation = 1)
    {
        long widest = 1;
        for (long o = 0; o < stride; o++)
        {
            long lo = long.MaxValue, hi = long.MinValue;
            for (long j = 0; j < kernel; j++)
            {
                long t = o - j * dilation;
                if (((t % stride) + stride) % stride != 0) continue;
                long i = (t - (((t % stride) + stride) % stride)) / stride;
                lo = Math.Min(lo, i);
                hi = Math.Max(hi, i);
            }
            if (hi >= lo) widest = Math.Max(widest, hi - lo + 1);
        }
        return new(Size + (widest - 1) * Jump, Jump / stride);
    }

    /// <summary>After upsampling by <paramref name="factor"/>: nearest copies one input pixel, bilinear blends two neighbours per axis.</summary>
    public ReceptiveField ThenUpsample(long factor, bool bilinear) => new(Size + (bilinear ? Jump : 0), Jump / factor);

    /// <summary>After a layer that reads the whole map of side <paramref name="extent"/> (global pooling, a dense layer on flattened maps).</summary>
    public ReceptiveField ThenGlobal(long extent) => new(Size + (extent - 1) * Jump, Jump * extent);

    /// <summary>The larger of two fields that see the same input (used where branches or a shortcut meet).</summary>
    public static ReceptiveField Max(ReceptiveField a, ReceptiveField b) => new(Math.Max(a.Size, b.Size), Math.Max(a.Jump, b.Jump));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Size:0.##} px (jump {Jump:0.##})");

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
